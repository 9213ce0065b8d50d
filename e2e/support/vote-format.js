// The contract's signed-vote format as a test writes it from voting-api-v1 alone (no web client code): base64url,
// RFC 8785 for what the contract signs (objects, strings, integers), the vote hash, and the receipt's check.
// Used by the browser suite (support/api.js) and the reliability suite (reliability/lib/voters.mjs).
const { subtle } = globalThis.crypto;

export const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
export const fromB64u = (text) => new Uint8Array(Buffer.from(text, 'base64url'));
export const utf8 = (text) => new TextEncoder().encode(text);

export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export async function voteHashOf(vote) {
  return b64u(await subtle.digest('SHA-256', utf8(canonical(vote))));
}

// Ed25519 over the canonical receipt without its signature, with the election's published receipt key.
export async function receiptVerifies(receipt, election) {
  if (receipt?.kid !== election.keys.receipt.kid) return false;
  const { signature, ...unsigned } = receipt;
  const key = await subtle.importKey('spki', fromB64u(election.keys.receipt.spki), { name: 'Ed25519' }, false, ['verify']);
  return subtle.verify({ name: 'Ed25519' }, key, fromB64u(signature), utf8(canonical(unsigned)));
}
