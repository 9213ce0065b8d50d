// Two tabs, or a tab and the service worker: each runs its own engine on the same IndexedDB database.
import { describe, expect, it } from 'vitest';
import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { createSyncEngine } from '../src/lib/sync.js';
import { queueVote } from '../src/lib/outbox.js';
import { loadElection } from '../src/lib/elections.js';
import { openDb } from '../src/lib/db.js';
import { createFakeServer } from './support/fakeServer.js';
import { apiFor, fakeClock, fakeLocks } from './support/env.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function twoContexts({ locks = null, leaseMs = 60_000, elections = [{}] } = {}) {
  const name = `lease-${crypto.randomUUID()}`;
  const server = await createFakeServer({ elections });
  const api = apiFor(server);
  const clock = fakeClock();
  const tabDb = openDb({ name, indexedDB, IDBKeyRange });
  const workerDb = openDb({ name, indexedDB, IDBKeyRange });
  await loadElection({ db: tabDb, api, id: 'demo' });
  server.requests.length = 0;
  const engine = (db, owner) => createSyncEngine({ db, api, owner, now: clock.now, random: () => 0, locks, leaseMs,
    isOnline: () => true });
  return { server, clock, tabDb, workerDb, tab: engine(tabDb, 'tab'), worker: engine(workerDb, 'worker'),
    cast: (choice, id = 'demo') => queueVote({ db: tabDb, election: server.election(id), choice, now: clock.now }) };
}

// Holds every vote POST until released, so that two engines overlap for sure.
function holdVotes(server) {
  const gate = {};
  gate.open = new Promise((resolve) => { gate.release = resolve; });
  const original = server.fetch;
  let held = 0;
  server.fetch = async (url, init) => {
    if (init?.method === 'POST' && url.endsWith('/votes')) {
      held += 1;
      await gate.open;
    }
    return original(url, init);
  };
  gate.held = () => held;
  return gate;
}

describe('leases', () => {
  it('a tab and the worker syncing at once send each vote once', async () => {
    const { server, tab, worker, workerDb, cast, tabDb } = await twoContexts({ elections: [{}, { id: 'b' }, { id: 'c' }] });
    await loadElection({ db: tabDb, api: apiFor(server), id: 'b' });
    await loadElection({ db: tabDb, api: apiFor(server), id: 'c' });
    const items = [await cast('red'), await cast('green', 'b'), await cast('blue', 'c')];
    const gate = holdVotes(server);
    const runs = [tab.run(), worker.run(), tab.run(), worker.run()];
    while (gate.held() < 1) await sleep(5);
    await sleep(50);
    gate.release();
    await Promise.all(runs);
    const posts = server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/votes'));
    expect(posts).toHaveLength(3);
    expect(new Set(posts.map((p) => JSON.parse(p.body).voteId))).toEqual(new Set(items.map((i) => i.voteId)));
    for (const item of items) expect((await workerDb.outbox.get(item.id)).status).toBe('confirmed');
    expect(server.requests.filter((r) => r.path.endsWith('/ballot-tokens'))).toHaveLength(3);
  });

  it('a lease held by another context is respected until it runs out, then taken over', async () => {
    const { server, tab, tabDb, cast, clock } = await twoContexts({ leaseMs: 60_000 });
    const item = await cast('red');
    await tabDb.outbox.update(item.id, { status: 'sending', leaseOwner: 'worker', leaseUntil: clock.now() + 60_000 });
    const summary = await tab.run();
    expect(server.requests).toHaveLength(0);
    expect(summary).toEqual({ pending: 1, nextWakeAt: clock.now() + 60_000 });
    expect((await tabDb.outbox.get(item.id)).leaseOwner).toBe('worker');

    clock.advance(60_000); // the worker died mid-send: its lease runs out
    await tab.run();
    expect((await tabDb.outbox.get(item.id))).toMatchObject({ status: 'confirmed', leaseOwner: null });
  });

  it('an engine that lost its lease does not settle the item; a verified receipt still counts once', async () => {
    const { server, tab, worker, tabDb, workerDb, cast, clock } = await twoContexts({ leaseMs: 1_000 });
    const item = await cast('red');
    const gate = holdVotes(server);
    const slow = tab.run();
    while (gate.held() < 1) await sleep(5);
    clock.advance(5_000); // the tab's lease runs out while its request hangs
    const takeover = worker.run();
    while (gate.held() < 2) await sleep(5);
    gate.release();
    await Promise.all([slow, takeover]);
    const done = await workerDb.outbox.get(item.id);
    expect(done.status).toBe('confirmed'); // whichever answer was the receipt (the other: request-in-flight)
    expect(server.ballots().size).toBe(1);
    const posts = server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/votes'));
    expect(posts).toHaveLength(2);
    expect(posts[0].body).toBe(posts[1].body); // signed once, by the tab: the worker sent the same bytes
    expect((await tabDb.outbox.get(item.id)).receipt).toEqual(done.receipt);
  });

  it('with Web Locks, an item whose lock another context holds is skipped', async () => {
    const locks = fakeLocks();
    const { server, tab, tabDb, cast } = await twoContexts({ locks });
    const item = await cast('red');
    let release;
    const holder = locks.request(`voting-outbox:${item.id}`, () => new Promise((resolve) => { release = resolve; }));
    await sleep(0);
    await tab.run();
    expect(server.requests).toHaveLength(0);
    expect((await tabDb.outbox.get(item.id)).status).toBe('queued');
    release();
    await holder;
    await tab.run();
    expect((await tabDb.outbox.get(item.id)).status).toBe('confirmed');
  });

  it('with Web Locks, two contexts asking for the first token at once make one token request', async () => {
    const locks = fakeLocks();
    const { server, tab, worker, tabDb, clock } = await twoContexts({ locks, elections: [{ revoting: true }] });
    const first = await queueVote({ db: tabDb, election: server.election(), choice: 'red', now: clock.now });
    await tabDb.outbox.update(first.id, { status: 'sending', leaseOwner: 'x', leaseUntil: clock.now() + 1 });
    clock.advance(1000);
    const second = await queueVote({ db: tabDb, election: server.election(), choice: 'green', now: clock.now });
    await Promise.all([tab.run(), worker.run()]);
    expect(server.requests.filter((r) => r.path.endsWith('/ballot-tokens'))).toHaveLength(1);
    expect((await tabDb.outbox.get(first.id)).token).toEqual((await tabDb.outbox.get(second.id)).token);
  });

  it('two tabs casting at once in an election without revoting: one vote is queued, the other refused', async () => {
    const { server, tabDb, workerDb, clock } = await twoContexts();
    const results = await Promise.allSettled([
      queueVote({ db: tabDb, election: server.election(), choice: 'red', now: clock.now }),
      queueVote({ db: workerDb, election: server.election(), choice: 'green', now: clock.now }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [refused] = results.filter((r) => r.status === 'rejected');
    expect(refused.reason.message).toBe('This device has already voted in this election.');
    const items = await tabDb.outbox.toArray();
    expect(items).toHaveLength(1);
    expect(items[0].status).toBe('queued');
  });

  it('two tabs casting at once with revoting: the vote added last is the newest and replaces the other', async () => {
    const { server, tabDb, workerDb, clock } = await twoContexts({ elections: [{ revoting: true }] });
    const [a, b] = await Promise.all([
      queueVote({ db: tabDb, election: server.election(), choice: 'red', now: clock.now }),
      queueVote({ db: workerDb, election: server.election(), choice: 'green', now: clock.now }),
    ]);
    const items = await tabDb.outbox.toArray();
    const live = items.filter((i) => i.status === 'queued');
    expect(live).toHaveLength(1);
    const replaced = items.find((i) => i.status === 'failed');
    expect(replaced.lastError.slug).toBe('superseded');
    expect(Date.parse(live[0].castAt)).toBeGreaterThan(Date.parse(replaced.castAt));
    expect(new Set(items.map((i) => i.id))).toEqual(new Set([a.id, b.id]));
  });
});
