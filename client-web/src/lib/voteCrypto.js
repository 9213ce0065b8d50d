// Everything the client signs, hashes and verifies, with Web Crypto only (voting-api-v1 "Keys and algorithms").
import { b64u, fromB64u, concatBytes } from './b64u.js';
import { canonicalBytes } from './canonical.js';

// How each voter algorithm of the contract maps onto Web Crypto. ECDSA signatures come out as P1363 r ‖ s,
// the contract's ES256 form.
export const VOTER_ALGORITHMS = {
  Ed25519: { key: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
  ES256: { key: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
};
export const PREFERRED_ALGORITHMS = ['Ed25519', 'ES256'];

const subtleOf = (subtle) => subtle ?? globalThis.crypto.subtle;

export async function sha256(bytes, subtle) {
  return new Uint8Array(await subtleOf(subtle).digest('SHA-256', bytes));
}

// The voter key: Ed25519 where the browser has it, ES256 otherwise. The private key is not extractable; only
// the public key leaves it, as SPKI DER in base64url.
export async function generateVoterKey({ subtle, algorithms = PREFERRED_ALGORITHMS } = {}) {
  let lastError;
  for (const alg of algorithms) {
    try {
      const keyPair = await subtleOf(subtle).generateKey(VOTER_ALGORITHMS[alg].key, false, ['sign', 'verify']);
      const publicKey = b64u(await subtleOf(subtle).exportKey('spki', keyPair.publicKey));
      return { alg, keyPair, publicKey };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError ?? new Error('no voter algorithm available');
}

// tokenMessage = canonical bytes of {alg, electionId, publicKey}; ballotId = b64u(SHA-256(tokenMessage)).
export const tokenMessage = ({ alg, electionId, publicKey }) => canonicalBytes({ alg, electionId, publicKey });

export async function ballotIdOf({ alg, electionId, publicKey }, subtle) {
  return b64u(await sha256(tokenMessage({ alg, electionId, publicKey }), subtle));
}

// A token verifies with a plain RSA-PSS (SHA-384, salt 48) verifier over prefix ‖ tokenMessage.
export async function verifyToken({ issuer, electionId, token, subtle }) {
  if (!token || token.kid !== issuer.kid) return false;
  try {
    const key = await subtleOf(subtle).importKey('spki', fromB64u(issuer.spki),
      { name: 'RSA-PSS', hash: 'SHA-384' }, false, ['verify']);
    const message = concatBytes(fromB64u(token.prefix),
      tokenMessage({ alg: token.alg, electionId, publicKey: token.publicKey }));
    return await subtleOf(subtle).verify({ name: 'RSA-PSS', saltLength: 48 }, key, fromB64u(token.signature), message);
  } catch {
    return false;
  }
}

export function unsignedVote({ electionId, voteId, choice, castAt, idempotencyKey, token }) {
  return { v: 1, electionId, voteId, choice, castAt, idempotencyKey, token };
}

// signature = voter key over the canonical bytes of the vote without "signature";
// voteHash = b64u(SHA-256(canonical bytes of the whole vote)).
export async function signVote({ alg, privateKey, fields, subtle }) {
  const unsigned = unsignedVote(fields);
  const withoutSignature = canonicalBytes(unsigned);
  const signature = b64u(await subtleOf(subtle).sign(VOTER_ALGORITHMS[alg].sign, privateKey, withoutSignature));
  const vote = { ...unsigned, signature };
  return { vote, signature, voteHash: await voteHashOf(vote, subtle), canonicalWithoutSignature: b64u(withoutSignature) };
}

export async function voteHashOf(vote, subtle) {
  return b64u(await sha256(canonicalBytes(vote), subtle));
}

export async function verifyVoteSignature(vote, subtle) {
  const { signature, ...unsigned } = vote;
  const algorithm = VOTER_ALGORITHMS[vote.token?.alg];
  if (!algorithm) return false;
  try {
    const key = await subtleOf(subtle).importKey('spki', fromB64u(vote.token.publicKey), algorithm.key, false, ['verify']);
    return await subtleOf(subtle).verify(algorithm.sign, key, fromB64u(signature), canonicalBytes(unsigned));
  } catch {
    return false;
  }
}

// receipt signature = receipt key (Ed25519) over the canonical bytes of the receipt without "signature".
export async function verifyReceiptSignature({ receiptKey, receipt, subtle }) {
  if (!receipt || typeof receipt.signature !== 'string' || receipt.kid !== receiptKey.kid) return false;
  const { signature, ...unsigned } = receipt;
  try {
    const key = await subtleOf(subtle).importKey('spki', fromB64u(receiptKey.spki), { name: 'Ed25519' }, false, ['verify']);
    return await subtleOf(subtle).verify({ name: 'Ed25519' }, key, fromB64u(signature), canonicalBytes(unsigned));
  } catch {
    return false;
  }
}

// A receipt is ours when its signature verifies and it names exactly the vote we sent.
export async function checkReceipt({ receiptKey, receipt, vote, voteHash, ballotId, subtle }) {
  if (!receipt || receipt.electionId !== vote.electionId || receipt.voteId !== vote.voteId
    || receipt.voteHash !== voteHash || receipt.ballotId !== ballotId) {
    return false;
  }
  return verifyReceiptSignature({ receiptKey, receipt, subtle });
}

// The vote code: the first 50 bits of the voteHash (its SHA-256 bytes, most significant bit first) in Crockford's
// base32, shown as two groups of 5. That alphabet has no I, L, O or U, so nothing reads as 0/O or 1/l/I when a
// voter copies or reads the code aloud, and case does not matter. 50 bits: among 100 million votes, the chance that
// another vote has your code is about 1 in 10 million. The full voteHash stays on the receipt for the board.
export const CROCKFORD_BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const VOTE_CODE_SYMBOLS = 10;

export function voteCode(voteHash) {
  let bytes;
  try {
    bytes = fromB64u(voteHash);
  } catch {
    return '';
  }
  if (bytes.length < Math.ceil((VOTE_CODE_SYMBOLS * 5) / 8)) return '';
  let code = '';
  for (let i = 0; i < VOTE_CODE_SYMBOLS; i++) {
    const bit = i * 5; // the 5 bits at this offset, which may straddle two bytes
    const pair = (bytes[bit >> 3] << 8) | (bytes[(bit >> 3) + 1] ?? 0);
    code += CROCKFORD_BASE32[(pair >> (11 - (bit & 7))) & 0x1f];
  }
  return `${code.slice(0, 5)} ${code.slice(5)}`;
}
