// The vectors the Java side makes (shared-events JavaReceiptVectorsTest writes java-receipts.json and fails when the
// Java code no longer makes it), verified with the client's own code: what the server sends must pass the very
// checks the app makes, and a changed copy must not.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { checkServerVectors } from '../src/lib/vectors.js';
import { b64u, fromB64u } from '../src/lib/b64u.js';

const FILE = new URL('../../shared-events/src/test/resources/vectors/java-receipts.json', import.meta.url);
const file = JSON.parse(readFileSync(FILE, 'utf8'));
const clean = (results) => ({ votes: results.votes.map(() => []), canonical: results.canonical.map(() => []) });

// Flips one bit of a b64u value, keeping it valid b64u of the same length.
function flip(value, byte = 5) {
  const bytes = fromB64u(value);
  bytes[byte] ^= 0x01;
  return b64u(bytes);
}

// The receipt body the server would send, with one field changed.
function changedBody(entry, change) {
  return JSON.stringify(change(JSON.parse(entry.receiptBody)));
}

describe('java-receipts.json (made by the Java code)', () => {
  it('covers both voter algorithms, a revote and the canonical JSON cases', () => {
    const algs = file.votes.map((v) => v.vote.token.alg);
    expect(algs.filter((a) => a === 'Ed25519').length).toBeGreaterThanOrEqual(2);
    expect(algs.filter((a) => a === 'ES256').length).toBeGreaterThanOrEqual(2);
    const ballots = file.votes.map((v) => v.ballotId);
    expect(new Set(ballots).size).toBeLessThan(ballots.length); // one ballot holds two votes
    expect(file.canonicalJson.some((c) => c.rejected)).toBe(true);
    expect(file.canonicalJson.filter((c) => !c.rejected).length).toBeGreaterThanOrEqual(5);
    expect(file.election.keys.receipt.alg).toBe('Ed25519');
    expect(file.election.keys.issuer.alg).toBe('RSABSSA-SHA384-PSS-Randomized');
  });

  it('every token, ballot id, vote, voteHash, receipt and canonical form checks with the client code', async () => {
    const results = await checkServerVectors(file);
    expect(results).toEqual(clean(results));
  });

  it('a receipt changed in transit fails the check sync.js makes', async () => {
    const tampered = structuredClone(file);
    tampered.votes[0].receiptBody = changedBody(file.votes[0], (r) => ({ ...r, acceptedAt: '2026-03-01T09:00:01Z' }));
    tampered.votes[1].receiptBody = changedBody(file.votes[1], (r) => ({ ...r, signature: flip(r.signature) }));
    tampered.votes[2].receiptBody = changedBody(file.votes[2], (r) => ({ ...r, voteHash: file.votes[3].voteHash }));
    tampered.votes[3].receiptBody = changedBody(file.votes[3], (r) => ({ ...r, kid: 'another-kid' }));
    const { votes } = await checkServerVectors(tampered);
    for (const failures of votes.slice(0, 4)) expect(failures).toContain('receipt');
    expect(votes[4]).toEqual([]);
  });

  it('a receipt key other than the published one fails every receipt', async () => {
    const tampered = structuredClone(file);
    tampered.election.keys.receipt.spki = flip(file.election.keys.receipt.spki, 20);
    const { votes } = await checkServerVectors(tampered);
    for (const failures of votes) expect(failures).toEqual(['receipt']);
  });

  it('a token of another vote, another election or another issuer key fails', async () => {
    const tampered = structuredClone(file);
    tampered.votes[0].vote.token.signature = file.votes[1].vote.token.signature;
    tampered.votes[1].vote.token.prefix = flip(file.votes[1].vote.token.prefix, 0);
    const otherIssuer = structuredClone(file);
    otherIssuer.election.keys.issuer.spki = flip(file.election.keys.issuer.spki, 60);
    const otherElection = structuredClone(file);
    otherElection.election.id = `${file.election.id}-other`;

    const { votes } = await checkServerVectors(tampered);
    expect(votes[0]).toContain('token');
    expect(votes[1]).toContain('token');
    for (const failures of (await checkServerVectors(otherIssuer)).votes) expect(failures).toEqual(['token']);
    for (const failures of (await checkServerVectors(otherElection)).votes) {
      expect(failures).toEqual(expect.arrayContaining(['tokenMessage', 'ballotId', 'token', 'receipt']));
    }
  });

  it('a changed vote no longer matches its signature, its voteHash nor its receipt', async () => {
    const tampered = structuredClone(file);
    tampered.votes[0].vote.choice = 'abstain';
    tampered.votes[2].vote.castAt = '2026-03-01T09:02:00.000Z'; // the same moment, other bytes
    const { votes } = await checkServerVectors(tampered);
    for (const failures of [votes[0], votes[2]]) {
      expect(failures).toEqual(expect.arrayContaining(['canonical bytes', 'vote signature', 'voteHash', 'receipt']));
    }
  });

  it('a canonical form other than the Java one fails, and so does accepting what Java refuses', async () => {
    const tampered = structuredClone(file);
    const sorted = tampered.canonicalJson.findIndex((c) => c.name.startsWith('members sorted'));
    const accepted = tampered.canonicalJson.findIndex((c) => c.rejected);
    // Code-point order instead of UTF-16 order: the mistake the case is there to catch.
    tampered.canonicalJson[sorted].canonical = tampered.canonicalJson[sorted].canonical.replace('"😀":2,"ﬁ":1', '"ﬁ":1,"😀":2');
    tampered.canonicalJson[accepted] = { ...tampered.canonicalJson[accepted], rejected: false, canonical: '{}' };
    const { canonical } = await checkServerVectors(tampered);
    expect(canonical[sorted]).toEqual(['canonical']);
    expect(canonical[accepted]).toEqual(['refused']);
  });
});
