// One ballot per election per device: one voter key pair, one token request, one ballot token, kept for good.
//
// The key pair is made the first time this device votes in the election (offline is fine: Web Crypto is local)
// and stored in IndexedDB as non-extractable CryptoKeys. The token request {alg, publicKey, prefix, credential}
// is fixed at the same moment and never changes (only a credential the server refused may be replaced), so
// asking again after a lost answer is "the same request" for the server, which gives the same token back.
// Once a token is stored it is reused for every later vote in that election (revoting included): the device
// never asks for a second token.
import { b64u } from './b64u.js';
import { ballotIdOf, generateVoterKey, verifyToken } from './voteCrypto.js';
import { problemFrom, localProblem } from './problems.js';

export class OutboxProblem extends Error {
  constructor(problem) {
    super(problem.title);
    this.name = 'OutboxProblem';
    this.problem = problem;
  }
}

export async function ensureBallot({ db, electionId, subtle, algorithms, randomBytes = (n) => crypto.getRandomValues(new Uint8Array(n)) }) {
  const existing = await db.ballots.get(electionId);
  if (existing) return existing;
  // Made outside the transaction (IndexedDB transactions cannot wait for Web Crypto); two tabs racing here
  // both make a key, and the first one stored wins for both.
  const { alg, keyPair, publicKey } = await generateVoterKey({ subtle, algorithms });
  const record = {
    electionId, alg, publicKey, keyPair,
    prefix: b64u(randomBytes(32)),
    credential: null,
    token: null,
    ballotId: await ballotIdOf({ alg, electionId, publicKey }, subtle),
    createdAt: Date.now(),
    tokenAt: null,
  };
  return db.transaction('rw', db.ballots, async () => {
    const raced = await db.ballots.get(electionId);
    if (raced) return raced;
    await db.ballots.add(record);
    return record;
  });
}

// A credential can be set or replaced only while no token has been issued for this device's key.
export async function setCredential(db, electionId, credential) {
  return db.transaction('rw', db.ballots, async () => {
    const ballot = await db.ballots.get(electionId);
    if (!ballot || ballot.token) return false;
    await db.ballots.put({ ...ballot, credential });
    return true;
  });
}

export function tokenRequestOf(ballot, election) {
  const request = { alg: ballot.alg, publicKey: ballot.publicKey, prefix: ballot.prefix };
  if (election.eligibility === 'credential') request.credential = ballot.credential;
  return request;
}

async function withLock(locks, name, fn) {
  return locks?.request ? locks.request(name, fn) : fn();
}

// The stored token, or a new one from the server (then stored). Throws OutboxProblem or NetworkError.
export async function obtainToken({ db, api, election, subtle, locks, nowMs = () => Date.now(), refreshElection }) {
  return withLock(locks, `voting-token:${election.id}`, async () => {
    const ballot = await db.ballots.get(election.id);
    if (!ballot) throw new OutboxProblem(localProblem('key-missing', 'This device no longer has the key for this vote'));
    if (ballot.token) return { token: ballot.token, ballot };
    if (election.eligibility === 'credential' && !ballot.credential) {
      throw new OutboxProblem(localProblem('credential-required', 'A voting credential is needed'));
    }
    const response = await api.requestToken(election.id, tokenRequestOf(ballot, election));
    if (!response.ok) {
      throw new OutboxProblem(problemFrom({ status: response.status, body: response.body,
        retryAfter: response.headers.get('retry-after'), nowMs: nowMs() }));
    }
    const token = response.body?.token;
    const matches = token && token.alg === ballot.alg && token.publicKey === ballot.publicKey
      && token.prefix === ballot.prefix;
    let verified = matches && await verifyToken({ issuer: election.keys.issuer, electionId: election.id, token, subtle });
    if (matches && !verified && refreshElection) {
      const fresh = await refreshElection(election.id); // the issuer key we kept may be stale
      verified = fresh && await verifyToken({ issuer: fresh.keys.issuer, electionId: election.id, token, subtle });
    }
    if (!verified) {
      throw new OutboxProblem(localProblem('token-unverified', 'The ballot token from the server did not verify'));
    }
    return db.transaction('rw', db.ballots, async () => {
      const current = await db.ballots.get(election.id);
      if (current.token) return { token: current.token, ballot: current };
      const stored = { ...current, token, tokenAt: nowMs() };
      await db.ballots.put(stored);
      return { token, ballot: stored };
    });
  });
}
