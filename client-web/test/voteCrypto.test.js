import { describe, expect, it } from 'vitest';
import { b64u, fromB64u, utf8 } from '../src/lib/b64u.js';
import { canonicalBytes } from '../src/lib/canonical.js';
import {
  ballotIdOf, checkReceipt, generateVoterKey, sha256, signVote, tokenMessage, verifyReceiptSignature, verifyToken,
  verifyVoteSignature, voteCode, voteHashOf,
} from '../src/lib/voteCrypto.js';
import { issueToken, makeIssuer } from '../src/lib/vectors.js';
import { makeReceiptKey } from './support/fakeServer.js';

const subtle = crypto.subtle;
const issuer = await makeIssuer();

async function signedVote(alg) {
  const voter = await generateVoterKey({ algorithms: [alg] });
  const token = await issueToken({ issuer, electionId: 'demo', alg, publicKey: voter.publicKey,
    prefix: crypto.getRandomValues(new Uint8Array(32)) });
  const fields = { electionId: 'demo', voteId: crypto.randomUUID(), choice: 'red', castAt: '2026-03-01T08:00:00.000Z',
    idempotencyKey: crypto.randomUUID(), token };
  return { voter, token, fields, ...(await signVote({ alg, privateKey: voter.keyPair.privateKey, fields })) };
}

describe('voter keys', () => {
  it('prefers Ed25519 and makes non-extractable private keys with an SPKI public key', async () => {
    const voter = await generateVoterKey();
    expect(voter.alg).toBe('Ed25519');
    expect(voter.keyPair.privateKey.extractable).toBe(false);
    await expect(subtle.exportKey('pkcs8', voter.keyPair.privateKey)).rejects.toThrow();
    expect(fromB64u(voter.publicKey)).toHaveLength(44); // Ed25519 SPKI DER
  });

  it('falls back to ES256 where Ed25519 is missing', async () => {
    const noEd25519 = new Proxy(subtle, { get: (target, prop) => (prop === 'generateKey'
      ? (algorithm, ...rest) => (algorithm.name === 'Ed25519' ? Promise.reject(new DOMException('nope', 'NotSupportedError'))
        : target.generateKey(algorithm, ...rest))
      : target[prop].bind(target)) });
    const voter = await generateVoterKey({ subtle: noEd25519 });
    expect(voter.alg).toBe('ES256');
    expect(fromB64u(voter.publicKey)).toHaveLength(91); // P-256 SPKI DER, uncompressed point
  });
});

describe('votes', () => {
  for (const alg of ['Ed25519', 'ES256']) {
    it(`${alg}: signs the canonical bytes without "signature", and the hash covers the signature`, async () => {
      const { vote, signature, voteHash, canonicalWithoutSignature, fields } = await signedVote(alg);
      expect(Object.keys(vote)).toEqual(['v', 'electionId', 'voteId', 'choice', 'castAt', 'idempotencyKey', 'token', 'signature']);
      expect(vote.v).toBe(1);
      const { signature: _, ...unsigned } = vote;
      expect(canonicalWithoutSignature).toBe(b64u(canonicalBytes(unsigned)));
      expect(fromB64u(signature)).toHaveLength(64); // Ed25519, and ES256 in P1363 r ‖ s form
      expect(await verifyVoteSignature(vote)).toBe(true);
      expect(voteHash).toBe(b64u(await sha256(canonicalBytes(vote))));
      expect(await voteHashOf(vote)).toBe(voteHash);
      expect(await verifyVoteSignature({ ...vote, choice: 'blue' })).toBe(false);
      expect(await verifyVoteSignature({ ...vote, castAt: fields.castAt.replace('08', '09') })).toBe(false);
    });
  }

  it('ballotId is the SHA-256 of the token message, which the token signature covers', async () => {
    const { token } = await signedVote('Ed25519');
    const message = tokenMessage({ alg: token.alg, electionId: 'demo', publicKey: token.publicKey });
    expect(new TextDecoder().decode(message)).toBe(`{"alg":"Ed25519","electionId":"demo","publicKey":"${token.publicKey}"}`);
    expect(await ballotIdOf({ alg: token.alg, electionId: 'demo', publicKey: token.publicKey }))
      .toBe(b64u(await sha256(message)));
    expect(await verifyToken({ issuer: issuer.published, electionId: 'demo', token })).toBe(true);
    expect(await verifyToken({ issuer: issuer.published, electionId: 'other', token })).toBe(false);
    expect(await verifyToken({ issuer: { ...issuer.published, kid: 'x' }, electionId: 'demo', token })).toBe(false);
    expect(await verifyToken({ issuer: issuer.published, electionId: 'demo',
      token: { ...token, prefix: b64u(new Uint8Array(32)) } })).toBe(false);
  });
});

describe('receipts', () => {
  it('verify with the receipt key, and only for the vote they name', async () => {
    const receiptKey = await makeReceiptKey();
    const { vote, voteHash, token } = await signedVote('ES256');
    const ballotId = await ballotIdOf({ alg: token.alg, electionId: 'demo', publicKey: token.publicKey });
    const unsigned = { electionId: 'demo', ballotId, voteId: vote.voteId, voteHash, acceptedAt: '2026-03-01T08:00:01.000Z',
      kid: receiptKey.published.kid };
    const receipt = { ...unsigned, signature: b64u(await subtle.sign({ name: 'Ed25519' }, receiptKey.privateKey, canonicalBytes(unsigned))) };
    const check = (r, extra = {}) => checkReceipt({ receiptKey: receiptKey.published, receipt: r, vote, voteHash, ballotId, ...extra });
    expect(await verifyReceiptSignature({ receiptKey: receiptKey.published, receipt })).toBe(true);
    expect(await check(receipt)).toBe(true);
    expect(await check({ ...receipt, acceptedAt: '2026-03-01T08:00:02.000Z' })).toBe(false);
    // Another first character (the random hash starts with 'x' one time in 64).
    expect(await check(receipt, { voteHash: (voteHash[0] === 'x' ? 'y' : 'x') + voteHash.slice(1) })).toBe(false);
    expect(await check(receipt, { ballotId: 'other' })).toBe(false);
    expect(await check({ ...receipt, signature: 'AAAA' })).toBe(false);
    const otherKey = await makeReceiptKey();
    expect(await checkReceipt({ receiptKey: { ...otherKey.published, kid: receiptKey.published.kid }, receipt, vote, voteHash, ballotId })).toBe(false);
  });
});

describe('vote code', () => {
  // Known answers worked out separately (Python's base64 and int arithmetic), not with the code under test.
  it('is the first 50 bits of the voteHash in Crockford base32, two groups of 5', () => {
    expect(voteCode('WatcUV8MLFP37aUSt0aQqKXBG2Y2oHSVoU6f7GDIsMU')).toBe('B6NNR MAZ1G');
    expect(voteCode('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8')).toBe('000G4 0R40M');
    expect(voteCode('CEIQhCEIQgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBe('11111 11111');
    expect(voteCode('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBe('00000 00000');
    expect(voteCode('__________________________________________8')).toBe('ZZZZZ ZZZZZ');
    expect(voteCode(undefined)).toBe('');
    expect(voteCode('not b64u!')).toBe('');
    expect(utf8('x')).toHaveLength(1);
  });

  it('never shows a look-alike character (O, I, L, U) nor a lower-case letter', () => {
    for (let i = 0; i < 500; i++) {
      const code = voteCode(b64u(crypto.getRandomValues(new Uint8Array(32))));
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5} [0-9A-HJKMNP-TV-Z]{5}$/);
    }
  });
});

describe('RFC 9474 (shared-events/…/rfc9474-rsabssa-sha384-pss-randomized.json)', () => {
  it('a blindly issued signature verifies with the plain RSA-PSS verifier the client uses for tokens', async () => {
    const { readFileSync } = await import('node:fs');
    const vector = JSON.parse(readFileSync(new URL('../../shared-events/src/test/resources/vectors/rfc9474-rsabssa-sha384-pss-randomized.json', import.meta.url), 'utf8'));
    const bytes = (hexText) => Uint8Array.from(hexText.match(/../g).map((h) => parseInt(h, 16)));
    const key = await subtle.importKey('jwk', { kty: 'RSA', n: b64u(bytes(vector.n)), e: b64u(bytes(vector.e)), alg: 'PS384', ext: true },
      { name: 'RSA-PSS', hash: 'SHA-384' }, false, ['verify']);
    expect(await subtle.verify({ name: 'RSA-PSS', saltLength: 48 }, key, bytes(vector.sig), bytes(vector.prepared_msg))).toBe(true);
    const changed = bytes(vector.prepared_msg);
    changed[0] ^= 1;
    expect(await subtle.verify({ name: 'RSA-PSS', saltLength: 48 }, key, bytes(vector.sig), changed)).toBe(false);
  });
});
