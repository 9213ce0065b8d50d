// The shared vector file of Web Crypto-signed votes (shared-events/src/test/resources/vectors/webcrypto-votes.json):
// made here with the client's own canonical JSON and signing code, and checked here too. Plain ES modules with no
// packages, so plain Node 20 can import this file.
import { b64u, concatBytes } from './b64u.js';
import { canonicalBytes } from './canonical.js';
import { generateVoterKey, sha256, signVote, tokenMessage, verifyToken, verifyVoteSignature, voteHashOf } from './voteCrypto.js';

export const DEFAULT_VOTES = [['Ed25519', 'yes'], ['Ed25519', 'no'], ['ES256', 'yes'], ['ES256', 'abstain']];

// The contract's kid rule: b64u(first 16 bytes of SHA-256(SPKI DER)).
export const kidOf = async (spki, subtle) => b64u((await sha256(spki, subtle)).subarray(0, 16));

export async function makeIssuer(subtle = globalThis.crypto.subtle) {
  const keys = await subtle.generateKey(
    { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-384' },
    false, ['sign', 'verify']);
  const spki = new Uint8Array(await subtle.exportKey('spki', keys.publicKey));
  return { published: { kid: await kidOf(spki, subtle), alg: 'RSABSSA-SHA384-PSS-Randomized', spki: b64u(spki) },
    privateKey: keys.privateKey };
}

// A directly issued token: what a blind issuance gives the client once it finalizes.
export async function issueToken({ issuer, electionId, alg, publicKey, prefix, subtle = globalThis.crypto.subtle }) {
  const signature = await subtle.sign({ name: 'RSA-PSS', saltLength: 48 }, issuer.privateKey,
    concatBytes(prefix, tokenMessage({ alg, electionId, publicKey })));
  return { kid: issuer.published.kid, alg, publicKey, prefix: b64u(prefix), signature: b64u(signature) };
}

export async function makeVoteVectors({ electionId = 'demo', votes = DEFAULT_VOTES, subtle = globalThis.crypto.subtle,
  description } = {}) {
  const issuer = await makeIssuer(subtle);
  const made = [];
  for (const [alg, choice] of votes) {
    const voter = await generateVoterKey({ subtle, algorithms: [alg] });
    const token = await issueToken({ issuer, electionId, alg, publicKey: voter.publicKey,
      prefix: globalThis.crypto.getRandomValues(new Uint8Array(32)), subtle });
    const signed = await signVote({ alg, privateKey: voter.keyPair.privateKey, subtle, fields: {
      electionId, voteId: globalThis.crypto.randomUUID(), choice, castAt: new Date().toISOString(),
      idempotencyKey: globalThis.crypto.randomUUID(), token,
    } });
    made.push({ vote: signed.vote, canonicalWithoutSignature: signed.canonicalWithoutSignature, voteHash: signed.voteHash });
  }
  return {
    description: description ?? 'Votes made with Web Crypto by the web client\'s signing code '
      + '(client-web/src/lib/vectors.js): directly issued ballot tokens and signed votes, per voting-api-v1.',
    issuer: issuer.published,
    votes: made,
  };
}

// Every check the file's consumers make, with the client's code. Returns one list of failures per vote.
export async function checkVoteVectors(file, subtle = globalThis.crypto.subtle) {
  const results = [];
  for (const entry of file.votes) {
    const failures = [];
    const { signature, ...unsigned } = entry.vote;
    if (b64u(canonicalBytes(unsigned)) !== entry.canonicalWithoutSignature) failures.push('canonical bytes');
    if (!await verifyToken({ issuer: file.issuer, electionId: entry.vote.electionId, token: entry.vote.token, subtle })) {
      failures.push('token');
    }
    if (!await verifyVoteSignature(entry.vote, subtle)) failures.push('signature');
    if (await voteHashOf(entry.vote, subtle) !== entry.voteHash) failures.push('voteHash');
    if (typeof signature !== 'string') failures.push('no signature');
    results.push(failures);
  }
  return results;
}
