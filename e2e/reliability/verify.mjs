// What "nothing lost, nothing counted twice" means, checked three ways for an election and the voters that cast in
// it: each receipt verifies and names its vote; the event store (SQL) holds exactly one VoteCast per receipt; the
// tally and the public bulletin board count exactly these votes, once each.
import assert from 'node:assert/strict';
import { receiptVerifies, sleep, voteHashOf } from './lib/voters.mjs';

export async function waitForTally(api, electionId, total, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < deadline) {
    last = await api.tally(electionId);
    if (last && last.total >= total) return last;
    await sleep(250);
  }
  assert.fail(`tally of ${electionId} reached ${last?.total} of ${total} in ${timeoutMs / 1000} s`);
}

export async function expectCountedOnce(stack, api, election, voters) {
  const expectedCounts = Object.fromEntries(election.options.map((o) => [o.id, 0]));
  const receiptHashes = [];
  for (const voter of voters) {
    assert.ok(voter.receipt, `every voter ends with a receipt (one got ${voter.refused?.status} ${voter.refused?.text ?? voter.refused?.error})`);
    assert.equal(voter.receipt.voteHash, await voteHashOf(voter.vote), 'the receipt names the vote sent');
    assert.ok(await receiptVerifies(voter.receipt, election), 'the receipt signature verifies with the published key');
    expectedCounts[voter.vote.choice] += 1;
    receiptHashes.push(voter.receipt.voteHash);
  }

  // The durability point: the event store itself.
  const stored = stack.storedVoteHashes(election.id);
  assert.deepEqual([...stored].sort(), [...receiptHashes].sort(), 'the event store holds exactly one VoteCast per receipt');

  const tally = await waitForTally(api, election.id, voters.length);
  // A moment more: a double count would show as a total above the receipts.
  await sleep(1000);
  const settled = await api.tally(election.id);
  assert.deepEqual(settled.counts, expectedCounts, 'tally counts = the receipts, by choice');
  assert.equal(settled.total, voters.length, 'tally total = receipts');
  assert.equal(settled.position, voters.length, 'tally position = votes applied, once each');
  assert.ok(settled.position >= tally.position, 'position only grows');

  const lines = await api.board(election.id);
  assert.equal(lines.length, voters.length, 'one bulletin board line per receipt');
  assert.deepEqual(lines.map((l) => l.position).sort((a, b) => a - b), lines.map((_, i) => i + 1), 'board positions 1..N, no gap, no repeat');
  assert.deepEqual(lines.map((l) => l.voteHash).sort(), [...receiptHashes].sort(), 'board lines = receipts');
  return { stored: stored.length, counted: settled.total, boardLines: lines.length };
}

// A problem answer as the contract writes it (RFC 9457 with `retryable`).
export function assertProblem(answer, status, slug, what) {
  const shown = `${what}: got ${answer.status} ${answer.text?.slice(0, 200) ?? answer.error}`;
  assert.equal(answer.status, status, shown);
  assert.match(answer.headers['content-type'] ?? '', /^application\/problem\+json/, shown);
  assert.equal(answer.json?.type, `https://voting.invalid/problems/${slug}`, shown);
  assert.equal(answer.json?.status, status, shown);
  assert.equal(typeof answer.json?.title, 'string', shown);
  assert.equal(typeof answer.json?.detail, 'string', shown);
  assert.equal(answer.json?.retryable, [503, 429, 408].includes(status) || slug === 'request-in-flight', shown);
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
