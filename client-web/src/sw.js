// The service worker, hand-written. It keeps the app shell and the hashed assets (the list is made at build time
// by vite.sw.config.js), answers every navigation with the kept index.html so the app starts offline, leaves
// /api/ to the network, and runs the page's sync engine on Background Sync and when a page asks it to.
/* global __PRECACHE__, __CACHE_VERSION__ */
import { openDb } from './lib/db.js';
import { createApi } from './lib/api.js';
import { createSyncEngine } from './lib/sync.js';
import { SYNC_MESSAGE, SYNC_TAG } from './lib/scheduler.js';

const CACHE = `voting-shell-${__CACHE_VERSION__}`;
const PRECACHE = __PRECACHE__; // paths relative to this worker, 'index.html' among them
const scope = new URL(self.registration.scope);
const urlOf = (path) => new URL(path, scope).href;
const INDEX = urlOf('index.html');
const PRECACHED = new Set(PRECACHE.map(urlOf));

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // cache: 'reload' skips the HTTP cache, so the shell kept is the one this worker was built with.
    await cache.addAll(PRECACHE.map((path) => new Request(urlOf(path), { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('voting-shell-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/actuator/')) return;
  if (request.mode === 'navigate') {
    event.respondWith((async () => (await caches.match(INDEX, { cacheName: CACHE })) ?? fetch(request))());
    return;
  }
  const key = url.origin + url.pathname;
  if (PRECACHED.has(key)) {
    event.respondWith((async () => (await caches.match(key, { cacheName: CACHE })) ?? fetch(request))());
  }
});

// --- the sync engine, as the page runs it ---------------------------------------------------------------------

const channel = 'BroadcastChannel' in self ? new BroadcastChannel('voting-outbox') : null;
const engine = createSyncEngine({
  db: openDb(),
  api: createApi({ baseUrl: scope.origin }),
  owner: `worker-${crypto.randomUUID()}`,
  notify: () => {
    channel?.postMessage({ type: 'changed' });
    if (!channel) {
      self.clients?.matchAll?.().then((pages) => pages.forEach((page) => page.postMessage({ type: 'outbox-changed' })));
    }
  },
});

self.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil((async () => {
    // The browser fires `sync` when it is back online: votes that waited only for the network are due now.
    const { pending, nextWakeAt } = await engine.run({ onlineResume: true });
    // Still waiting and due soon (no answer from the network): fail the event so the browser tries it again later.
    if (pending && nextWakeAt != null && nextWakeAt - Date.now() < 5 * 60_000) throw new Error('votes still waiting');
  })());
});

self.addEventListener('message', (event) => {
  if (event.data?.type === SYNC_MESSAGE) event.waitUntil(engine.run());
});
