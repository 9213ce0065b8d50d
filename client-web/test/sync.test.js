// The outbox state machine as the sync engine drives it, against a fake server that follows the contract.
import { describe, expect, it } from 'vitest';
import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { createSyncEngine } from '../src/lib/sync.js';
import { queueVote, retryVote, votesOf } from '../src/lib/outbox.js';
import { loadElection } from '../src/lib/elections.js';
import { openDb } from '../src/lib/db.js';
import { canonicalize } from '../src/lib/canonical.js';
import { checkReceipt, signVote, verifyVoteSignature, voteHashOf } from '../src/lib/voteCrypto.js';
import { createFakeServer, problem } from './support/fakeServer.js';
import { apiFor, fakeClock, newDb } from './support/env.js';

async function setup({ elections = [{}], online = true, random = () => 0.5 } = {}) {
  const server = await createFakeServer({ elections });
  const db = newDb();
  const clock = fakeClock();
  const api = apiFor(server);
  const net = { online };
  const engine = createSyncEngine({ db, api, owner: 'tab-1', now: clock.now, random, locks: null,
    isOnline: () => net.online });
  for (const spec of elections) await loadElection({ db, api, id: spec.id ?? 'demo' });
  server.requests.length = 0;
  const cast = async (choice = 'red', id = 'demo', extra = {}) => {
    const election = (await db.elections.get(id)).election;
    return queueVote({ db, election, choice, now: clock.now, ...extra });
  };
  return { server, db, clock, api, engine, net, cast, item: (id) => db.outbox.get(id) };
}

describe('sending a vote', () => {
  it('queued → token → signed once → sent with Idempotency-Key → confirmed with a verified receipt', async () => {
    const { server, db, engine, cast, item } = await setup();
    const queued = await cast('green');
    expect(queued).toMatchObject({ status: 'queued', retries: 0, signature: null, token: null, receipt: null, choice: 'green' });
    expect(queued.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(queued.castAt).toBe('2026-03-01T08:00:00.000Z');

    const summary = await engine.run();
    expect(summary).toEqual({ pending: 0, nextWakeAt: null });
    const done = await item(queued.id);
    expect(done.status).toBe('confirmed');
    expect(done.retries).toBe(0);
    expect(done.lastError).toBeNull();
    expect(done.leaseOwner).toBeNull();

    expect(server.tokenRequests()).toHaveLength(1);
    const [post] = server.votesPosted();
    expect(post.headers['idempotency-key']).toBe(`"${queued.idempotencyKey}"`);
    const sent = JSON.parse(post.body);
    expect(post.body).toBe(canonicalize(sent));
    expect(sent).toMatchObject({ v: 1, electionId: 'demo', voteId: queued.voteId, choice: 'green', castAt: queued.castAt,
      idempotencyKey: queued.idempotencyKey, signature: done.signature });
    expect(await verifyVoteSignature(sent)).toBe(true);
    expect(done.voteHash).toBe(await voteHashOf(sent));
    expect(done.receipt).toMatchObject({ voteId: queued.voteId, voteHash: done.voteHash, ballotId: done.ballotId });
    expect(await checkReceipt({ receiptKey: server.receiptKey.published, receipt: done.receipt, vote: sent,
      voteHash: done.voteHash, ballotId: done.ballotId })).toBe(true);
    expect(server.ballots().size).toBe(1);
    const ballot = await db.ballots.get('demo');
    expect(ballot.token).toEqual(sent.token);
    expect(ballot.keyPair.privateKey.extractable).toBe(false);
  });

  it('offline: nothing is sent, the vote waits Queued without a signature; online later, it goes', async () => {
    const { server, engine, cast, item, net } = await setup({ online: false });
    const queued = await cast();
    expect(await engine.run()).toEqual({ pending: 1, nextWakeAt: queued.nextAttemptAt, offline: true });
    expect(server.requests).toHaveLength(0);
    expect(await item(queued.id)).toMatchObject({ status: 'queued', retries: 0, signature: null });
    net.online = true;
    await engine.run({ onlineResume: true });
    expect((await item(queued.id)).status).toBe('confirmed');
  });

  it('no token yet and no network: Queued with backoff, unsigned; the token request is resent unchanged', async () => {
    const { server, engine, cast, item, clock } = await setup({ random: () => 0.999 });
    const queued = await cast();
    server.script.push(() => 'network');
    await engine.run();
    const waiting = await item(queued.id);
    expect(waiting).toMatchObject({ status: 'queued', retries: 1, signature: null, token: null });
    expect(waiting.lastError).toMatchObject({ kind: 'network', retryable: true });
    expect(waiting.nextAttemptAt - clock.now()).toBe(999); // full jitter under the 1 s ceiling

    server.script.push(() => 'network');
    clock.advance(1000);
    await engine.run();
    const again = await item(queued.id);
    expect(again.retries).toBe(2);
    expect(again.nextAttemptAt - clock.now()).toBe(1998); // 0.999 × the doubled 2 s ceiling

    await engine.run(); // not due yet
    expect(server.tokenRequests()).toHaveLength(2);
    clock.advance(2000);
    await engine.run();
    expect((await item(queued.id)).status).toBe('confirmed');
    const bodies = server.tokenRequests().map((r) => r.body);
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
  });

  it('is signed exactly once: resends after no answer and 503 carry the same bytes, honouring Retry-After', async () => {
    const { server, engine, cast, item, clock } = await setup({ random: () => 0 });
    const queued = await cast();
    server.script.push(undefined, () => 'network'); // token fine, vote: no answer
    await engine.run();
    const first = await item(queued.id);
    expect(first).toMatchObject({ status: 'queued', retries: 1 });
    expect(first.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);

    server.script.push(() => problem(503, 'unavailable', true, { 'retry-after': '30' }));
    clock.advance(1000);
    await engine.run();
    const second = await item(queued.id);
    expect(second).toMatchObject({ status: 'queued', retries: 2, signature: first.signature, voteHash: first.voteHash });
    expect(second.lastError).toMatchObject({ slug: 'unavailable', status: 503, retryAfterMs: 30_000 });
    expect(second.nextAttemptAt).toBe(clock.now() + 30_000);

    clock.advance(29_000);
    await engine.run();
    expect(server.votesPosted()).toHaveLength(2);
    clock.advance(1_000);
    await engine.run();
    const done = await item(queued.id);
    expect(done).toMatchObject({ status: 'confirmed', signature: first.signature, retries: 2 });
    const posted = server.votesPosted();
    expect(posted).toHaveLength(3);
    expect(new Set(posted.map((p) => p.body)).size).toBe(1);
    expect(new Set(posted.map((p) => p.headers['idempotency-key'])).size).toBe(1);
    expect(server.tokenRequests()).toHaveLength(1);
  });

  it('a lost answer is harmless: the resend gets the identical receipt and the server holds one vote', async () => {
    const { server, engine, cast, item, clock } = await setup({ random: () => 0 });
    const queued = await cast();
    server.script.push(undefined, () => 'lost');
    await engine.run();
    expect((await item(queued.id)).status).toBe('queued');
    expect(server.ballots().size).toBe(1);
    clock.advance(1000);
    await engine.run();
    expect((await item(queued.id)).status).toBe('confirmed');
    expect(server.ballots().size).toBe(1);
  });

  it('429 and retryable problems go back to the queue; request-in-flight too', async () => {
    const { server, engine, cast, item, clock } = await setup({ random: () => 0 });
    const queued = await cast();
    server.script.push(() => new Response('slow down', { status: 429, headers: { 'retry-after': '5' } }));
    await engine.run();
    expect(await item(queued.id)).toMatchObject({ status: 'queued', retries: 1, nextAttemptAt: clock.now() + 5000 });
    clock.advance(5000);
    server.script.push(undefined, () => problem(409, 'request-in-flight', true, { 'retry-after': '1' }));
    await engine.run();
    expect(await item(queued.id)).toMatchObject({ status: 'queued', retries: 2, nextAttemptAt: clock.now() + 1000 });
    clock.advance(1000);
    await engine.run();
    expect((await item(queued.id)).status).toBe('confirmed');
  });

  it('a problem with retryable: false is Failed, with its title, and is not sent again', async () => {
    const { server, db, engine, cast, item, clock } = await setup();
    const queued = await cast();
    server.election().status = 'closed';
    await engine.run();
    const failed = await item(queued.id);
    expect(failed).toMatchObject({ status: 'failed', retries: 1, nextAttemptAt: null });
    expect(failed.lastError).toMatchObject({ slug: 'election-closed', title: 'election closed', retryable: false, status: 409 });
    clock.advance(3_600_000);
    await engine.run();
    expect(server.requests.length).toBe(1);
    expect(await retryVote({ db, id: queued.id })).toBe(false); // a retry cannot help here
  });

  it('a receipt that does not verify is not Confirmed; after a retry the resend gets a good one', async () => {
    const { server, db, engine, cast, item, clock } = await setup();
    const queued = await cast();
    server.script.push(undefined, async (request) => {
      const real = server.fetch; // let the server take the vote, then spoil the receipt's signature
      server.script.unshift(() => undefined);
      const response = await real('http://client.test' + request.path, { method: 'POST', headers: request.headers, body: request.body });
      server.requests.pop();
      const receipt = await response.json();
      return new Response(JSON.stringify({ ...receipt, signature: receipt.signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }), { status: 201 });
    });
    await engine.run();
    const failed = await item(queued.id);
    expect(failed.status).toBe('failed');
    expect(failed.lastError.slug).toBe('receipt-unverified');
    expect(failed.receipt).toBeNull();
    expect(await retryVote({ db, id: queued.id, now: clock.now })).toBe(true);
    await engine.run();
    const done = await item(queued.id);
    expect(done.status).toBe('confirmed');
    expect(done.retries).toBe(1);
    expect(server.votesPosted().at(-1).body).toBe(server.votesPosted()[0].body);
  });

  it('backoff after coming back online: votes that waited for the network are due at once', async () => {
    const { server, engine, cast, item, clock } = await setup({ random: () => 0.999 });
    const queued = await cast();
    for (let i = 0; i < 8; i++) {
      server.script.push(() => 'network');
      clock.advance(300_000);
      await engine.run();
    }
    const waiting = await item(queued.id);
    expect(waiting.retries).toBe(8);
    expect(waiting.nextAttemptAt - clock.now()).toBe(127_872); // 0.999 × the 128 s ceiling
    await engine.run();
    expect(server.requests).toHaveLength(8);
    await engine.run({ onlineResume: true });
    expect((await item(queued.id)).status).toBe('confirmed');
  });
});

describe('one ballot per election per device', () => {
  it('one key pair and one token per election, reused by a later vote (revoting)', async () => {
    const { server, db, engine, cast, item, clock } = await setup({ elections: [{ revoting: true }, { id: 'other' }] });
    const first = await cast('red');
    await engine.run();
    clock.advance(60_000);
    const second = await cast('blue');
    const third = await cast('red', 'other');
    await engine.run();
    expect((await item(first.id)).status).toBe('confirmed');
    expect((await item(second.id)).status).toBe('confirmed');
    expect((await item(third.id)).status).toBe('confirmed');
    expect(server.tokenRequests().map((r) => r.path)).toEqual(['/api/v1/elections/demo/ballot-tokens', '/api/v1/elections/other/ballot-tokens']);
    const [a, b] = [await item(first.id), await item(second.id)];
    expect(b.token).toEqual(a.token);
    expect(b.ballotId).toBe(a.ballotId);
    expect(b.signature).not.toBe(a.signature);
    expect((await db.ballots.get('other')).publicKey).not.toBe((await db.ballots.get('demo')).publicKey);
    expect([...server.ballots().values()][0].choice).toBe('blue');
  });

  it('revoting offline: a newer vote replaces the older one still waiting', async () => {
    const { server, engine, cast, item, net, clock } = await setup({ elections: [{ revoting: true }], online: false });
    const first = await cast('red');
    clock.advance(1000);
    const second = await cast('green');
    const replaced = await item(first.id);
    expect(replaced.status).toBe('failed');
    expect(replaced.lastError.title).toBe('Replaced by a newer vote');
    net.online = true;
    await engine.run();
    expect((await item(second.id)).status).toBe('confirmed');
    expect(server.votesPosted()).toHaveLength(1);
  });

  it('without revoting, the device cannot queue a second vote', async () => {
    const { cast } = await setup();
    await cast('red');
    await expect(cast('blue')).rejects.toThrow('already voted');
  });

  it('the key survives a restart: a new database connection signs with the stored non-extractable key', async () => {
    const name = `restart-${crypto.randomUUID()}`;
    const server = await createFakeServer();
    const api = apiFor(server);
    const clock = fakeClock();
    const before = openDb({ name, indexedDB, IDBKeyRange });
    await loadElection({ db: before, api, id: 'demo' });
    const queued = await queueVote({ db: before, election: server.election(), choice: 'red', now: clock.now });
    before.close();
    const after = openDb({ name, indexedDB, IDBKeyRange });
    const ballot = await after.ballots.get('demo');
    expect(ballot.keyPair.privateKey.type).toBe('private');
    const engine = createSyncEngine({ db: after, api, owner: 'after-restart', now: clock.now, locks: null, isOnline: () => true });
    await engine.run();
    const done = await after.outbox.get(queued.id);
    expect(done.status).toBe('confirmed');
    expect(done.token.publicKey).toBe(ballot.publicKey);
  });
});

describe('credential elections', () => {
  it('the credential travels with the token request; a refused one can be replaced, then the vote goes', async () => {
    const { server, db, engine, cast, item, clock } = await setup({ elections: [{ eligibility: 'credential', credentials: ['good-credential'] }] });
    await expect(cast('red', 'demo')).rejects.toThrow('credential');
    const queued = await cast('red', 'demo', { credential: 'typo' });
    await engine.run();
    const failed = await item(queued.id);
    expect(failed.status).toBe('failed');
    expect(failed.lastError.slug).toBe('ineligible');
    expect(JSON.parse(server.tokenRequests()[0].body).credential).toBe('typo');

    expect(await retryVote({ db, id: queued.id, credential: 'good-credential', now: clock.now })).toBe(true);
    server.script.push(() => 'lost'); // token issued, answer lost: the same request again gets the same token
    await engine.run();
    expect((await item(queued.id)).status).toBe('queued');
    clock.advance(2000);
    await engine.run();
    const done = await item(queued.id);
    expect(done.status).toBe('confirmed');
    const requests = server.tokenRequests().map((r) => JSON.parse(r.body));
    expect(requests.map((r) => r.credential)).toEqual(['typo', 'good-credential', 'good-credential']);
    expect(new Set(requests.map((r) => r.prefix)).size).toBe(1);
  });
});

describe('signing helpers used by the engine', () => {
  it('signVote over stored fields reproduces the stored signature for Ed25519 (deterministic)', async () => {
    const { db, engine, cast, item } = await setup();
    const queued = await cast();
    await engine.run();
    const done = await item(queued.id);
    const ballot = await db.ballots.get('demo');
    const again = await signVote({ alg: ballot.alg, privateKey: ballot.keyPair.privateKey, fields: { ...done } });
    expect(again.signature).toBe(done.signature);
    expect((await votesOf(db, 'demo')).map((v) => v.id)).toEqual([queued.id]);
  });
});
