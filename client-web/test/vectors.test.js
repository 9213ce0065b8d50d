// Interop with the Java side through shared vector files.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { checkVoteVectors, makeVoteVectors } from '../src/lib/vectors.js';

const SHARED = new URL('../../shared-events/src/test/resources/vectors/webcrypto-votes.json', import.meta.url);

describe('webcrypto-votes.json (the vector file the Java tests verify)', () => {
  const file = JSON.parse(readFileSync(SHARED, 'utf8'));

  it('holds votes of both voter algorithms', () => {
    expect(file.votes.length).toBeGreaterThanOrEqual(4);
    expect(new Set(file.votes.map((v) => v.vote.token.alg))).toEqual(new Set(['Ed25519', 'ES256']));
  });

  it('every vote checks with the client code: canonical bytes, token, signature, voteHash', async () => {
    const results = await checkVoteVectors(file);
    expect(results).toEqual(file.votes.map(() => []));
  });

  it('a changed vote fails the checks', async () => {
    const tampered = structuredClone(file);
    tampered.votes[0].vote.choice = 'tampered';
    tampered.votes[1].vote.token.prefix = tampered.votes[2].vote.token.prefix;
    const results = await checkVoteVectors(tampered);
    expect(results[0]).toEqual(expect.arrayContaining(['canonical bytes', 'signature', 'voteHash']));
    expect(results[1]).toContain('token');
  });
});

describe('vectors made by the client code', () => {
  it('have the shared file format and pass the same checks', async () => {
    const made = await makeVoteVectors();
    const shared = JSON.parse(readFileSync(SHARED, 'utf8'));
    expect(Object.keys(made)).toEqual(Object.keys(shared));
    expect(Object.keys(made.issuer)).toEqual(Object.keys(shared.issuer));
    expect(Object.keys(made.votes[0])).toEqual(Object.keys(shared.votes[0]));
    expect(Object.keys(made.votes[0].vote)).toEqual(Object.keys(shared.votes[0].vote));
    expect(Object.keys(made.votes[0].vote.token)).toEqual(Object.keys(shared.votes[0].vote.token));
    expect(made.votes.map((v) => [v.vote.token.alg, v.vote.choice])).toEqual(shared.votes.map((v) => [v.vote.token.alg, v.vote.choice]));
    expect(await checkVoteVectors(made)).toEqual(made.votes.map(() => []));
  });
});
