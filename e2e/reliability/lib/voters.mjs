// Voters written only from the wire contract (../shared/contract/voting-api-v1.md), as e2e/contract-client.mjs:
// Web Crypto keys, ballot tokens, signed votes, and the client's resend loop (the same vote with the same
// Idempotency-Key until the server gives an answer that is final).
import { request as httpRequest, Agent } from 'node:http';
import { b64u, canonical, receiptVerifies, utf8, voteHashOf } from '../../support/vote-format.js';

export { b64u, canonical, receiptVerifies, utf8, voteHashOf };

const { subtle } = globalThis.crypto;
export const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

// Plain node:http rather than fetch: a request must never wait on a pooled socket that a killed upstream left
// half-open, and every attempt needs its own deadline. Keep-alive is on, as real clients have it.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function http(baseUrl, method, path, { body, headers = {}, timeoutMs = 30_000 } = {}) {
  const payload = body === undefined ? undefined : (typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  return new Promise((resolve) => {
    const started = performance.now();
    const req = httpRequest(baseUrl + path, {
      method, agent,
      headers: {
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        ...headers,
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { /* NDJSON or not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json, ms: performance.now() - started });
      });
      res.on('error', (error) => resolve({ status: 0, error: error.code ?? error.message, ms: performance.now() - started }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error) => resolve({ status: 0, error: error.code ?? error.message, ms: performance.now() - started }));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export class Api {
  constructor(baseUrl, adminToken) {
    this.baseUrl = baseUrl;
    this.adminToken = adminToken;
  }

  call(method, path, options = {}) {
    return http(this.baseUrl, method, path, options);
  }

  admin(method, path, body) {
    return this.call(method, path, { body, headers: { authorization: `Bearer ${this.adminToken}` } });
  }

  async createElection(id, { options = ['red', 'green', 'blue'], revoting = false } = {}) {
    const created = await this.admin('POST', '/api/v1/admin/elections', {
      id, title: `Reliability ${id}`, options: options.map((o) => ({ id: o, label: o })),
      eligibility: 'open', liveResults: true, revoting,
    });
    if (created.status !== 201) throw new Error(`create ${id}: ${created.status} ${created.text}`);
    const opened = await this.admin('POST', `/api/v1/admin/elections/${id}/open`);
    if (opened.status !== 200) throw new Error(`open ${id}: ${opened.status} ${opened.text}`);
    // Wait until the query side publishes it open: voters read the election (and its keys) from there.
    for (let i = 0; i < 300; i += 1) {
      const detail = await this.call('GET', `/api/v1/elections/${id}`);
      if (detail.status === 200 && detail.json.status === 'open') return detail.json;
      await sleep(100);
    }
    throw new Error(`election ${id} never published as open`);
  }

  async tally(id) {
    const response = await this.call('GET', `/api/v1/elections/${id}/tally`);
    return response.status === 200 ? response.json : null;
  }

  async board(id) {
    const response = await this.call('GET', `/api/v1/elections/${id}/ballots`, { timeoutMs: 60_000 });
    if (response.status !== 200) throw new Error(`board ${id}: ${response.status} ${response.text}`);
    return response.text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
  }

  async stats(id) {
    const response = await this.admin('GET', `/api/v1/admin/elections/${id}/stats`);
    return response.status === 200 ? response.json : null;
  }
}

// One device: its key, its ballot token and, once cast, its signed vote.
export async function makeVoter(api, election, { alg = 'Ed25519', choice } = {}) {
  const keyAlgorithm = alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
  const key = await subtle.generateKey(keyAlgorithm, false, ['sign']);
  const publicKey = b64u(await subtle.exportKey('spki', key.publicKey));
  const prefix = b64u(crypto.getRandomValues(new Uint8Array(32)));
  let issued;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    issued = await api.call('POST', `/api/v1/elections/${election.id}/ballot-tokens`, { body: { alg, publicKey, prefix } });
    if (issued.status === 201) break;
    await sleep(250);
  }
  if (issued.status !== 201) throw new Error(`token: ${issued.status} ${issued.text}`);
  const voter = { alg, key, publicKey, token: issued.json.token, election };
  voter.vote = await signVote(voter, { choice: choice ?? election.options[0].id });
  return voter;
}

export async function signVote(voter, { choice, electionId = voter.election.id, castAt = new Date().toISOString() }) {
  const signAlgorithm = voter.alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
  const vote = {
    v: 1, electionId, voteId: crypto.randomUUID(), choice, castAt, idempotencyKey: crypto.randomUUID(), token: voter.token,
  };
  vote.signature = b64u(await subtle.sign(signAlgorithm, voter.key.privateKey, utf8(canonical(vote))));
  return vote;
}

// Makes voters with a few at a time (token issuance signs with RSA: the server's CPU is the limit, not ours).
export async function makeVoters(api, election, count, concurrency = 8) {
  const voters = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      voters[i] = await makeVoter(api, election, {
        alg: i % 4 === 3 ? 'ES256' : 'Ed25519', choice: election.options[i % election.options.length].id,
      });
    }
  }));
  return voters;
}

// The client's outbox for one vote: send, and on anything that is not a final answer send the very same request
// again (same body, same Idempotency-Key) after Retry-After (or a short backoff), until a receipt or a deadline.
// Every attempt and its outcome is recorded in `log`, so that the test can tell what each client saw.
export async function deliver(api, voter, log, { deadline, attemptTimeoutMs = 20_000 }) {
  const { vote } = voter;
  const path = `/api/v1/elections/${vote.electionId}/votes`;
  let backoff = 100;
  for (;;) {
    const sentAt = Date.now();
    const answer = await api.call('POST', path, {
      body: vote, headers: { 'idempotency-key': `"${vote.idempotencyKey}"` }, timeoutMs: attemptTimeoutMs,
    });
    log.attempts += 1;
    if (answer.status === 201 || answer.status === 200) {
      voter.receipt = answer.json;
      voter.receivedAt = Date.now();
      voter.sentAt = sentAt;
      voter.replayed = answer.status === 200;
      log.outcomes[answer.status] = (log.outcomes[answer.status] ?? 0) + 1;
      return answer;
    }
    const outcome = answer.status === 0 ? `no answer (${answer.error})` : `${answer.status} ${answer.json?.type?.split('/').pop() ?? ''}`.trim();
    log.outcomes[outcome] = (log.outcomes[outcome] ?? 0) + 1;
    if (answer.status >= 500 || answer.status === 0 || answer.status === 429) log.unanswered.add(voter);
    if (answer.status >= 400 && answer.status < 500 && answer.status !== 429 && !answer.json?.retryable) {
      voter.refused = answer;
      return answer; // final: sending the same vote again cannot succeed
    }
    if (answer.status >= 500 && answer.status !== 0) {
      // The contract: every error is a problem; a 503 says when to come back and that it may.
      log.problems.push({ status: answer.status, retryAfter: answer.headers['retry-after'],
        contentType: answer.headers['content-type'], problem: answer.json });
    }
    if (Date.now() > deadline) {
      voter.refused = answer;
      return answer;
    }
    const retryAfter = Number(answer.headers?.['retry-after']);
    await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 2000) : backoff);
    backoff = Math.min(backoff * 2, 1000);
  }
}

export function newLog() {
  return { attempts: 0, outcomes: {}, unanswered: new Set(), problems: [] };
}

// Streams the voters' votes with `concurrency` in flight, calling `onProgress(receipts)` after each receipt.
export async function stream(api, voters, log, { concurrency = 32, deadline, onProgress = () => {} }) {
  let next = 0;
  let receipts = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < voters.length) {
      const voter = voters[next++];
      const answer = await deliver(api, voter, log, { deadline });
      if (answer.status === 200 || answer.status === 201) onProgress(++receipts);
    }
  }));
}
