// The service worker's source, run against stand-ins for the worker globals: precache on install, old caches
// dropped on activate, index.html for navigations, /api/ left to the network, and the sync engine on `sync`
// and on a page's message.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb } from '../src/lib/db.js';
import { loadElection } from '../src/lib/elections.js';
import { queueVote } from '../src/lib/outbox.js';
import { createApi } from '../src/lib/api.js';
import { createFakeServer } from './support/fakeServer.js';

const ORIGIN = 'https://vote.example';
const PRECACHE = ['assets/index-abc.js', 'assets/index-def.css', 'index.html', 'manifest.webmanifest'];

function fakeCaches() {
  const stores = new Map();
  const cacheOf = (name) => {
    if (!stores.has(name)) stores.set(name, new Map());
    const entries = stores.get(name);
    return {
      entries,
      async addAll(requests) {
        for (const request of requests) {
          const response = await globalThis.fetch(request);
          if (!response.ok) throw new TypeError('bad response');
          entries.set(request.url, response);
        }
      },
      async match(url) { return entries.get(typeof url === 'string' ? url : url.url)?.clone(); },
    };
  };
  return {
    stores,
    open: async (name) => cacheOf(name),
    keys: async () => [...stores.keys()],
    delete: async (name) => stores.delete(name),
    match: async (url, { cacheName } = {}) => (stores.has(cacheName) ? cacheOf(cacheName).match(url) : undefined),
  };
}

const listeners = {};
const worker = {
  registration: { scope: `${ORIGIN}/` },
  addEventListener: (type, fn) => { listeners[type] = fn; },
  skipWaiting: vi.fn(async () => {}),
  clients: { claim: vi.fn(async () => {}) },
};
let server;
let caches;
const served = [];

function dispatch(type, fields) {
  const event = { ...fields, waits: [], responded: null,
    waitUntil(promise) { this.waits.push(promise); }, respondWith(promise) { this.responded = promise; } };
  listeners[type](event);
  return event;
}

beforeAll(async () => {
  server = await createFakeServer();
  caches = fakeCaches();
  vi.stubGlobal('self', worker);
  vi.stubGlobal('caches', caches);
  vi.stubGlobal('__PRECACHE__', PRECACHE);
  vi.stubGlobal('__CACHE_VERSION__', 'v2');
  vi.stubGlobal('fetch', async (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    served.push(url);
    if (url.startsWith(`${ORIGIN}/api/`)) return server.fetch(url, init);
    return new Response(`file ${url}`, { status: 200 });
  });
  await import('../src/sw.js');
});
afterAll(() => vi.unstubAllGlobals());

describe('service worker', () => {
  it('precaches the shell on install and drops older shells on activate', async () => {
    await caches.open('voting-shell-v1');
    await caches.open('someone-elses');
    const install = dispatch('install', {});
    await Promise.all(install.waits);
    expect([...caches.stores.get('voting-shell-v2').keys()]).toEqual(PRECACHE.map((p) => `${ORIGIN}/${p}`));
    expect(worker.skipWaiting).toHaveBeenCalled();
    const activate = dispatch('activate', {});
    await Promise.all(activate.waits);
    expect(await caches.keys()).toEqual(['someone-elses', 'voting-shell-v2']);
    expect(worker.clients.claim).toHaveBeenCalled();
  });

  it('answers navigations with the kept index.html, assets from the cache, and leaves /api/ alone', async () => {
    served.length = 0;
    const nav = dispatch('fetch', { request: { method: 'GET', mode: 'navigate', url: `${ORIGIN}/some/where?x=1` } });
    expect(await (await nav.responded).text()).toBe(`file ${ORIGIN}/index.html`);
    const asset = dispatch('fetch', { request: { method: 'GET', mode: 'no-cors', url: `${ORIGIN}/assets/index-abc.js` } });
    expect(await (await asset.responded).text()).toBe(`file ${ORIGIN}/assets/index-abc.js`);
    expect(served).toEqual([]); // both from the cache
    const api = dispatch('fetch', { request: { method: 'GET', mode: 'cors', url: `${ORIGIN}/api/v1/elections` } });
    expect(api.responded).toBeNull();
    const post = dispatch('fetch', { request: { method: 'POST', mode: 'cors', url: `${ORIGIN}/index.html` } });
    expect(post.responded).toBeNull();
    const other = dispatch('fetch', { request: { method: 'GET', mode: 'cors', url: 'https://elsewhere.example/x.js' } });
    expect(other.responded).toBeNull();
  });

  it('sends queued votes on Background Sync and on a message from the page', async () => {
    const db = openDb(); // the worker's database, the page's too
    const api = createApi({ fetch: (url, init) => globalThis.fetch(url, init), baseUrl: ORIGIN });
    await loadElection({ db, api, id: 'demo' });
    const first = await queueVote({ db, election: server.election(), choice: 'red' });
    const sync = dispatch('sync', { tag: 'voting-outbox' });
    await Promise.all(sync.waits);
    expect((await db.outbox.get(first.id)).status).toBe('confirmed');

    server.election().revoting = true;
    await loadElection({ db, api, id: 'demo' });
    const second = await queueVote({ db, election: server.election(), choice: 'green' });
    const message = dispatch('message', { data: { type: 'voting-sync' } });
    await Promise.all(message.waits);
    expect((await db.outbox.get(second.id)).status).toBe('confirmed');
    expect(server.ballots().size).toBe(1);
  });

  it('a sync that leaves votes waiting for the network fails, so the browser tries it again', async () => {
    const db = openDb();
    const api = createApi({ fetch: (url, init) => globalThis.fetch(url, init), baseUrl: ORIGIN });
    await loadElection({ db, api, id: 'demo' });
    const third = await queueVote({ db, election: server.election(), choice: 'blue' });
    server.script.push(() => 'network');
    const sync = dispatch('sync', { tag: 'voting-outbox' });
    await expect(Promise.all(sync.waits)).rejects.toThrow('votes still waiting');
    expect((await db.outbox.get(third.id)).status).toBe('queued');
  });
});
