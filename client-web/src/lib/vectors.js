// The shared vector files. Web Crypto-signed votes (shared-events/src/test/resources/vectors/webcrypto-votes.json):
// made here with the client's own canonical JSON and signing code, and checked here too. Plain ES modules with no
// packages, so plain Node 20 can import this file.
import { b64u, concatBytes } from './b64u.js';
import { canonicalBytes, canonicalize } from './canonical.js';
import {
  ballotIdOf, checkReceipt, generateVoterKey, sha256, signVote, tokenMessage, verifyToken, verifyVoteSignature, voteHashOf,
} from './voteCrypto.js';

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

// The other direction: java-receipts.json, made by the Java code (shared-events JavaReceiptVectorsTest). Each vote
// is checked the way the app checks what the server sends: the token as ballots.js does (election.keys.issuer), the
// receipt as sync.js does (checkReceipt with election.keys.receipt, against the voteHash and ballotId the client
// computes itself). Returns one list of failures per vote, and one per canonical JSON case.
export async function checkServerVectors(file, subtle = globalThis.crypto.subtle) {
  const { election } = file;
  const votes = [];
  for (const entry of file.votes) {
    const failures = [];
    const { vote } = entry;
    const { token } = vote;
    const { signature, ...unsigned } = vote;
    if (b64u(tokenMessage({ alg: token.alg, electionId: election.id, publicKey: token.publicKey })) !== entry.tokenMessage) {
      failures.push('tokenMessage');
    }
    const ballotId = await ballotIdOf({ alg: token.alg, electionId: election.id, publicKey: token.publicKey }, subtle);
    if (ballotId !== entry.ballotId) failures.push('ballotId');
    if (!await verifyToken({ issuer: election.keys.issuer, electionId: election.id, token, subtle })) failures.push('token');
    if (b64u(canonicalBytes(unsigned)) !== entry.canonicalWithoutSignature) failures.push('canonical bytes');
    if (typeof signature !== 'string' || !await verifyVoteSignature(vote, subtle)) failures.push('vote signature');
    const voteHash = await voteHashOf(vote, subtle);
    if (voteHash !== entry.voteHash) failures.push('voteHash');
    const { signature: receiptSignature, ...receiptUnsigned } = entry.receipt;
    if (b64u(canonicalBytes(receiptUnsigned)) !== entry.receiptCanonicalWithoutSignature) failures.push('receipt canonical bytes');
    // The body exactly as the server sends it, parsed as api.js parses it.
    let body = null;
    try {
      body = JSON.parse(entry.receiptBody);
    } catch {
      failures.push('receipt body');
    }
    if (canonicalize(body) !== canonicalize(entry.receipt)) failures.push('receipt body');
    if (!await checkReceipt({ receiptKey: election.keys.receipt, receipt: body, vote, voteHash, ballotId, subtle })) {
      failures.push('receipt');
    }
    if (typeof receiptSignature !== 'string') failures.push('no receipt signature');
    votes.push(failures);
  }
  const canonical = file.canonicalJson.map((c) => {
    let text;
    try {
      text = canonicalize(JSON.parse(c.input));
    } catch {
      return c.rejected === true ? [] : ['refused'];
    }
    if (c.rejected === true) return ['accepted'];
    const failures = [];
    if (text !== c.canonical) failures.push('canonical');
    if (b64u(canonicalBytes(JSON.parse(c.input))) !== c.canonicalBytes) failures.push('canonical bytes');
    return failures;
  });
  return { votes, canonical };
}
