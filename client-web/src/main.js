// The page: storage, the sync engine and its triggers, the service worker, and the Vue app.
import { createApp } from 'vue';
import App from './app/App.vue';
import { createStore } from './app/store.js';
import { createRouter } from './app/router.js';
import { openDb } from './lib/db.js';
import { createApi } from './lib/api.js';
import { createSyncEngine } from './lib/sync.js';
import { createScheduler } from './lib/scheduler.js';
import { BACKOFF } from './lib/backoff.js';
import './app/styles.css';

export const OUTBOX_CHANNEL = 'voting-outbox';

const db = openDb();
const api = createApi();
const channel = 'BroadcastChannel' in window ? new BroadcastChannel(OUTBOX_CHANNEL) : null;
let store;
const engine = createSyncEngine({
  db,
  api,
  owner: `tab-${crypto.randomUUID()}`,
  notify: () => {
    store?.reload();
    channel?.postMessage({ type: 'changed' }); // other tabs; the worker's engine posts the same
  },
});
// The random wait after coming back online (0–15 s) spreads a crowd's reconnection. A device may shorten it for
// itself, as end-to-end tests do: localStorage['voting.onlineJitterMs'] = '0'.
const jitterSetting = localStorage.getItem('voting.onlineJitterMs');
const backoff = jitterSetting !== null && Number.isFinite(Number(jitterSetting))
  ? { ...BACKOFF, onlineJitterMs: Math.max(0, Number(jitterSetting)) } : BACKOFF;
const scheduler = createScheduler({ engine, backoff });
// Offline the engine sends nothing and so tells no one: the store tells the other tabs of a vote cast or retried here.
store = createStore({ db, api, scheduler, notify: () => channel?.postMessage({ type: 'changed' }) });
const outboxChanged = () => {
  store.reload();
  scheduler.refresh().catch(() => {});
};
if (channel) channel.onmessage = outboxChanged;

const app = createApp(App);
app.provide('store', store);
app.provide('route', createRouter());
app.mount('#app');

store.reload().then(() => scheduler.start());

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch(() => {
    // without a worker the app still works online, and the page still sends what it queued
  });
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'outbox-changed') outboxChanged();
  });
}
