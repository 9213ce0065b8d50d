// Writes src/test/resources/vectors/webcrypto-votes.json: ballot tokens and votes made the way a browser makes
// them, with Web Crypto only, so that WebCryptoVectorsTest can check the Java side against them.
//
// Run from anywhere with plain Node 20 (no packages):  node shared-events/src/test/js/make-webcrypto-votes.mjs
// Every run gives new keys and signatures; the Java test accepts any run.

import { writeFile } from 'node:fs/promises';

const subtle = globalThis.crypto.subtle;
const OUTPUT = new URL('../resources/vectors/webcrypto-votes.json', import.meta.url);
const ELECTION_ID = 'demo';

// How each voter algorithm of the contract maps onto Web Crypto. ECDSA signatures come out as P1363 r ‖ s.
const VOTER_ALGORITHMS = {
  Ed25519: { key: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
  ES256: { key: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
};
const VOTES = [['Ed25519', 'yes'], ['Ed25519', 'no'], ['ES256', 'yes'], ['ES256', 'abstain']];

const b64u = (bytes) => Buffer.from(bytes).toString('base64url'); // no padding
const sha256 = async (bytes) => new Uint8Array(await subtle.digest('SHA-256', bytes));
const concat = (a, b) => {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
};

// RFC 8785 for the values votes hold: objects, strings and integers. Array.prototype.sort compares UTF-16 code
// units, the order JCS requires; JSON.stringify escapes strings as JCS does.
function jcs(value) {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Number.isSafeInteger(value)) return String(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${jcs(value[key])}`).join(',')}}`;
  }
  throw new TypeError(`not supported by this JCS: ${value}`);
}
const canonicalBytes = (value) => new TextEncoder().encode(jcs(value));

// The contract's kid rule: b64u(first 16 bytes of SHA-256(SPKI DER)).
const kid = async (spki) => b64u((await sha256(spki)).subarray(0, 16));

async function makeIssuer() {
  const keys = await subtle.generateKey(
    { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-384' },
    false, ['sign']);
  const spki = new Uint8Array(await subtle.exportKey('spki', keys.publicKey));
  const published = { kid: await kid(spki), alg: 'RSABSSA-SHA384-PSS-Randomized', spki: b64u(spki) };
  return { published, privateKey: keys.privateKey };
}

async function makeVote(issuer, alg, choice) {
  const algorithm = VOTER_ALGORITHMS[alg];
  const voter = await subtle.generateKey(algorithm.key, false, ['sign']);
  const publicKey = b64u(await subtle.exportKey('spki', voter.publicKey));

  // A directly issued token: what a blind issuance gives the client once it finalizes.
  const tokenMessage = canonicalBytes({ alg, electionId: ELECTION_ID, publicKey });
  const prefix = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const tokenSignature = await subtle.sign({ name: 'RSA-PSS', saltLength: 48 }, issuer.privateKey,
    concat(prefix, tokenMessage));

  const vote = {
    v: 1,
    electionId: ELECTION_ID,
    voteId: globalThis.crypto.randomUUID(),
    choice,
    castAt: new Date().toISOString(),
    idempotencyKey: globalThis.crypto.randomUUID(),
    token: { kid: issuer.published.kid, alg, publicKey, prefix: b64u(prefix), signature: b64u(tokenSignature) },
  };
  const withoutSignature = canonicalBytes(vote);
  vote.signature = b64u(await subtle.sign(algorithm.sign, voter.privateKey, withoutSignature));
  return {
    vote,
    canonicalWithoutSignature: b64u(withoutSignature),
    voteHash: b64u(await sha256(canonicalBytes(vote))),
  };
}

const issuer = await makeIssuer();
const votes = [];
for (const [alg, choice] of VOTES) votes.push(await makeVote(issuer, alg, choice));
const vectors = {
  description: 'Votes made with Web Crypto by src/test/js/make-webcrypto-votes.mjs (Node '
    + `${process.versions.node}): directly issued ballot tokens and signed votes, per voting-api-v1.`,
  issuer: issuer.published,
  votes,
};
await writeFile(OUTPUT, `${JSON.stringify(vectors, null, 2)}\n`);
console.log(`wrote ${votes.length} votes to ${OUTPUT.pathname}`);
