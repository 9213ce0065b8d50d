// What the server stored, asked through the edge as any auditor would (voting-api-v1): elections made with the admin
// API, tallies, the public bulletin board, admin statistics, and the receipt's signature checked with Node's Web
// Crypto. Nothing here uses the web client's code: the test checks the client against the contract.
import { expect } from '@playwright/test';
import { BASE_URL } from './browser.js';
import { receiptVerifies, voteHashOf } from './vote-format.js';

export { receiptVerifies };

const adminToken = () => process.env.VOTING_E2E_ADMIN_TOKEN;

export async function call(method, path, { body, admin = false, headers = {} } = {}) {
  const response = await fetch(BASE_URL + path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(admin ? { authorization: `Bearer ${adminToken()}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* NDJSON or not JSON */ }
  return { status: response.status, headers: response.headers, text, json };
}

let serial = 0;

// A fresh election for one test, open unless told otherwise, and returned once the query side (which the web
// client reads) shows it in that state. Each test makes its own, so that every count it checks is its own.
export async function createElection({
  title = 'E2E election',
  description = 'An election made by the browser end-to-end tests.',
  options = [{ id: 'red', label: 'Red' }, { id: 'green', label: 'Green' }, { id: 'blue', label: 'Blue' }],
  eligibility = 'open',
  liveResults = true,
  revoting = false,
  open = true,
} = {}) {
  serial += 1;
  const id = `e2e-${Date.now().toString(36)}-${process.pid}-${serial}`;
  const created = await call('POST', '/api/v1/admin/elections', {
    admin: true, body: { id, title, description, options, eligibility, liveResults, revoting },
  });
  expect(created.status, `create election: ${created.text}`).toBe(201);
  if (open) {
    const opened = await call('POST', `/api/v1/admin/elections/${id}/open`, { admin: true });
    expect(opened.status, `open election: ${opened.text}`).toBe(200);
  }
  return electionAsPublished(id, open ? 'open' : 'draft');
}

export async function electionAsPublished(id, status) {
  let detail;
  await expect.poll(async () => {
    const response = await call('GET', `/api/v1/elections/${id}`);
    detail = response.json;
    return response.status === 200 ? detail.status : `HTTP ${response.status}`;
  }, { message: `election ${id} published as ${status}`, timeout: 15_000 }).toBe(status);
  return detail;
}

export async function closeElection(id) {
  const closed = await call('POST', `/api/v1/admin/elections/${id}/close`, { admin: true });
  expect(closed.status, `close election: ${closed.text}`).toBe(200);
  return electionAsPublished(id, 'closed');
}

export async function createCredentials(id, count) {
  const made = await call('POST', `/api/v1/admin/elections/${id}/credentials`, { admin: true, body: { count } });
  expect(made.status, `credentials: ${made.text}`).toBe(201);
  expect(made.json.credentials).toHaveLength(count);
  return made.json.credentials;
}

export async function tally(id) {
  const response = await call('GET', `/api/v1/elections/${id}/tally`);
  expect(response.status, `tally: ${response.text}`).toBe(200);
  return response.json;
}

// The public bulletin board: one NDJSON line per accepted vote.
export async function board(id) {
  const response = await call('GET', `/api/v1/elections/${id}/ballots`);
  expect(response.status, `bulletin board: ${response.text}`).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/x-ndjson');
  return response.text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
}

export async function stats(id) {
  const response = await call('GET', `/api/v1/admin/elections/${id}/stats`, { admin: true });
  expect(response.status, `stats: ${response.text}`).toBe(200);
  return response.json;
}

// The client's vote code, written again here from docs/client.md: the first 50 bits of the voteHash in Crockford
// base32 (no I, L, O, U), two groups of 5.
export function voteCode(voteHash) {
  const bits = BigInt(`0x${Buffer.from(voteHash, 'base64url').subarray(0, 7).toString('hex')}`) >> 6n;
  const code = [...Array(10)].map((_, i) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[Number((bits >> BigInt(5 * (9 - i))) & 31n)]).join('');
  return `${code.slice(0, 5)} ${code.slice(5)}`;
}

// What the server stored for an election, checked against the votes the browsers hold ({receipt, choice} each):
// every receipt verifies; the tally counts exactly these votes, once each; the bulletin board has exactly one line
// per ballot, whose voteHash is the receipt's and is the hash of the signed vote it shows; intake accepted them once.
export async function expectStored(election, votes) {
  const expectedCounts = Object.fromEntries(election.options.map((o) => [o.id, 0]));
  for (const { choice } of votes) expectedCounts[choice] += 1;

  for (const { receipt } of votes) {
    expect(receipt, 'the browser holds a receipt').toBeTruthy();
    expect(receipt.electionId).toBe(election.id);
    expect(await receiptVerifies(receipt, election), 'the receipt signature verifies with the published key').toBe(true);
  }

  // The read side follows the event store within moments; wait for it, then hold it to exact numbers.
  await expect.poll(async () => (await tally(election.id)).total, { message: 'tally total', timeout: 15_000 })
    .toBeGreaterThanOrEqual(votes.length);
  const counted = await tally(election.id);
  expect(counted.counts, 'tally counts').toEqual(expectedCounts);
  expect(counted.total, 'tally total').toBe(votes.length);
  expect(counted.position, 'tally position (votes applied)').toBe(votes.length);

  const lines = await board(election.id);
  expect(lines, 'bulletin board lines').toHaveLength(votes.length);
  for (const { receipt, choice } of votes) {
    const mine = lines.filter((line) => line.ballotId === receipt.ballotId);
    expect(mine, `bulletin board lines of ballot ${receipt.ballotId}`).toHaveLength(1);
    const [line] = mine;
    expect(line.voteHash, 'board voteHash = receipt voteHash').toBe(receipt.voteHash);
    expect(await voteHashOf(line.vote), 'board voteHash = hash of the signed vote it shows').toBe(receipt.voteHash);
    expect(line.vote.voteId).toBe(receipt.voteId);
    expect(line.vote.choice).toBe(choice);
    expect(Date.parse(line.acceptedAt), 'board acceptedAt = receipt acceptedAt').toBe(Date.parse(receipt.acceptedAt));
  }

  await expect.poll(async () => (await stats(election.id)).accepted, { message: 'intake accepted', timeout: 10_000 })
    .toBe(votes.length);
  return { tally: counted, board: lines };
}

export async function expectNothingStored(election) {
  const counted = await tally(election.id);
  expect(counted.total, 'tally total').toBe(0);
  expect(await board(election.id), 'bulletin board').toHaveLength(0);
}
