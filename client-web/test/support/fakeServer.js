// A small in-memory server that follows voting-api-v1 for what the client uses: election details, direct token
// issuance (RSA-PSS SHA-384 over prefix ‖ tokenMessage), vote intake with idempotency and ballots, signed Ed25519
// receipts, the tally with its ETag. Its `fetch` is handed to the client's api; `script` makes the next requests
// fail the way networks and servers fail ('network': no answer; 'lost': done, but the answer is lost; a Response).
import { b64u, fromB64u } from '../../src/lib/b64u.js';
import { canonicalBytes } from '../../src/lib/canonical.js';
import { ballotIdOf, verifyToken, verifyVoteSignature, voteHashOf } from '../../src/lib/voteCrypto.js';
import { issueToken, kidOf, makeIssuer } from '../../src/lib/vectors.js';

const subtle = globalThis.crypto.subtle;
const PROBLEMS = 'https://voting.invalid/problems/';

export function problem(status, slug, retryable = false, headers = {}) {
  return new Response(JSON.stringify({ type: PROBLEMS + slug, title: slug.replace(/-/g, ' '), status,
    detail: `${slug} (fake server)`, retryable }), { status, headers: { 'content-type': 'application/problem+json', ...headers } });
}

const json = (status, body, headers = {}) => new Response(JSON.stringify(body),
  { status, headers: { 'content-type': 'application/json', ...headers } });

export async function makeReceiptKey() {
  const keys = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  const spki = new Uint8Array(await subtle.exportKey('spki', keys.publicKey));
  return { published: { kid: await kidOf(spki), alg: 'Ed25519', spki: b64u(spki) }, privateKey: keys.privateKey };
}

let sharedIssuer; // RSA key generation is slow-ish: one issuer for every fake election

export async function createFakeServer({ elections = [{}], now = () => Date.now() } = {}) {
  sharedIssuer ??= await makeIssuer();
  const issuer = sharedIssuer;
  const receiptKey = await makeReceiptKey();
  const state = new Map();
  for (const spec of elections) {
    const election = {
      id: 'demo', title: 'Demo election', description: 'Which colour?',
      options: [{ id: 'red', label: 'Red' }, { id: 'green', label: 'Green' }, { id: 'blue', label: 'Blue' }],
      status: 'open', opensAt: null, closesAt: null, eligibility: 'open', liveResults: true, revoting: false,
      keys: { issuer: issuer.published, receipt: receiptKey.published },
      ...spec,
    };
    state.set(election.id, { election, ballots: new Map(), credentials: new Map(spec.credentials?.map((c) => [c, null]) ?? []),
      position: 0 });
    delete election.credentials;
  }
  const byKey = new Map(); // idempotencyKey → {voteHash, receiptText}
  const inFlight = new Set();
  const requests = [];
  const script = []; // functions (request) → Response | 'network' | undefined, used once each, in order

  async function receiptFor(vote, voteHash, ballotId) {
    const unsigned = { electionId: vote.electionId, ballotId, voteId: vote.voteId, voteHash,
      acceptedAt: new Date(now()).toISOString(), kid: receiptKey.published.kid };
    const signature = b64u(await subtle.sign({ name: 'Ed25519' }, receiptKey.privateKey, canonicalBytes(unsigned)));
    return { ...unsigned, signature };
  }

  async function handle(method, path, headers, body) {
    if (method === 'GET' && path === '/api/v1/elections') {
      return json(200, [...state.values()].map(({ election: e }) => ({ id: e.id, title: e.title, status: e.status,
        opensAt: e.opensAt, closesAt: e.closesAt })));
    }
    const m = /^\/api\/v1\/elections\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return problem(404, 'not-found');
    const id = decodeURIComponent(m[1]);
    const rest = m[2] ?? '';
    const e = state.get(id);
    if (!e) return problem(404, 'unknown-election');
    if (method === 'GET' && rest === '') return json(200, e.election);
    if (method === 'POST' && rest === '/ballot-tokens') {
      const request = JSON.parse(body);
      if (e.election.status === 'closed') return problem(409, 'election-closed');
      if (e.election.eligibility === 'credential') {
        if (!request.credential) return problem(400, 'invalid-token-request');
        if (!e.credentials.has(request.credential)) return problem(403, 'ineligible');
        const spent = e.credentials.get(request.credential);
        const key = JSON.stringify([request.alg, request.publicKey, request.prefix]);
        if (spent && spent.key !== key) return problem(409, 'credential-used');
        if (spent) return json(200, { token: spent.token });
        const token = await issueToken({ issuer, electionId: id, alg: request.alg, publicKey: request.publicKey,
          prefix: fromB64u(request.prefix) });
        e.credentials.set(request.credential, { key, token });
        return json(201, { token });
      }
      const token = await issueToken({ issuer, electionId: id, alg: request.alg, publicKey: request.publicKey,
        prefix: fromB64u(request.prefix) });
      return json(201, { token });
    }
    if (method === 'POST' && rest === '/votes') {
      let vote;
      try {
        vote = JSON.parse(body);
      } catch {
        return problem(400, 'invalid-vote');
      }
      const header = (headers['idempotency-key'] ?? '').replace(/^"|"$/g, '');
      if (header !== vote.idempotencyKey || vote.v !== 1) return problem(400, 'invalid-vote');
      // as the real intake does: the same key while its first request is still being processed
      if (inFlight.has(vote.idempotencyKey)) return problem(409, 'request-in-flight', true, { 'retry-after': '1' });
      inFlight.add(vote.idempotencyKey);
      try {
        return await intake(e, id, vote);
      } finally {
        inFlight.delete(vote.idempotencyKey);
      }
    }
    if (method === 'GET' && rest === '/tally') {
      if (!e.election.liveResults && e.election.status !== 'closed') return problem(403, 'results-not-public');
      const etag = `"${e.position}"`;
      if (headers['if-none-match'] === etag) return new Response(null, { status: 304, headers: { etag } });
      return json(200, tallyOf(e), { etag, 'cache-control': 'public, max-age=1' });
    }
    return problem(404, 'not-found');
  }

  async function intake(e, id, vote) {
    if (!e.election.options.some((o) => o.id === vote.choice)) return problem(400, 'invalid-vote');
    if (!await verifyToken({ issuer: issuer.published, electionId: id, token: vote.token })) return problem(403, 'invalid-token');
    if (!await verifyVoteSignature(vote)) return problem(401, 'invalid-signature');
    const voteHash = await voteHashOf(vote);
    const seen = byKey.get(vote.idempotencyKey);
    if (seen) {
      if (seen.voteHash !== voteHash) return problem(422, 'idempotency-key-reused');
      return new Response(seen.receiptText, { status: 200, headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' } });
    }
    if (e.election.status !== 'open') return problem(409, e.election.status === 'closed' ? 'election-closed' : 'election-not-open');
    const ballotId = await ballotIdOf({ alg: vote.token.alg, electionId: id, publicKey: vote.token.publicKey });
    const held = e.ballots.get(ballotId);
    if (held && (!e.election.revoting || held.castAt >= vote.castAt)) return problem(409, 'already-voted');
    const receipt = await receiptFor(vote, voteHash, ballotId);
    const receiptText = JSON.stringify(receipt);
    e.ballots.set(ballotId, vote);
    e.position += 1;
    byKey.set(vote.idempotencyKey, { voteHash, receiptText });
    return new Response(receiptText, { status: 201, headers: { 'content-type': 'application/json' } });
  }

  function tallyOf(e) {
    const counts = Object.fromEntries(e.election.options.map((o) => [o.id, 0]));
    for (const vote of e.ballots.values()) counts[vote.choice] += 1;
    return { electionId: e.election.id, position: e.position, counts, total: e.ballots.size, asOf: new Date(now()).toISOString() };
  }

  async function fetch(url, init = {}) {
    const parsed = new URL(url, 'http://client.test');
    const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const request = { method: init.method ?? 'GET', path: parsed.pathname, headers, body: init.body };
    requests.push(request);
    const step = script.shift();
    const scripted = step ? await step(request) : undefined;
    if (scripted === 'network') throw new TypeError('Failed to fetch');
    if (scripted === 'lost') { // the server does the work, the answer never arrives
      await handle(request.method, request.path, headers, init.body);
      throw new TypeError('Failed to fetch');
    }
    if (scripted) return scripted;
    return handle(request.method, request.path, headers, init.body);
  }

  return {
    fetch,
    requests,
    script,
    issuer,
    receiptKey,
    election: (id = 'demo') => state.get(id).election,
    ballots: (id = 'demo') => state.get(id).ballots,
    votesPosted: () => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/votes')),
    tokenRequests: () => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/ballot-tokens')),
  };
}
