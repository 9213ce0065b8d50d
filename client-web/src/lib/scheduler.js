// When the page runs the sync engine: at start-up, on a new vote, when the tab becomes visible, on a timer at
// the next item's due time, and after coming back online (after a random 0–15 s, so that a million phones
// leaving the same tunnel do not all send in the same second; items that waited only for the network are due at
// once then, whatever their backoff said). Background Sync is asked for where the browser has it, and when the tab
// is hidden the service worker is asked to go on; neither is relied on.
import { BACKOFF, onlineDelay } from './backoff.js';

export const SYNC_TAG = 'voting-outbox';
export const SYNC_MESSAGE = 'voting-sync';

export function createScheduler({
  engine,
  target = globalThis.window,
  doc = globalThis.document,
  serviceWorker = globalThis.navigator?.serviceWorker,
  random = Math.random,
  backoff = BACKOFF,
  setTimer = (fn, ms) => setTimeout(fn, ms),
  clearTimer = (handle) => clearTimeout(handle),
  now = () => Date.now(),
  maxSleepMs = 60_000,
}) {
  let timer = null;
  let onlineTimer = null;
  let last = { pending: 0, nextWakeAt: null };

  function schedule(summary) {
    clearTimer(timer);
    timer = null;
    if (!summary?.pending || summary.offline) return; // offline: the 'online' event starts it again
    const wait = summary.nextWakeAt == null ? maxSleepMs
      : Math.min(maxSleepMs, Math.max(1000, summary.nextWakeAt - now()));
    timer = setTimer(() => run(), wait);
  }

  async function run(options) {
    try {
      last = await engine.run(options);
    } finally {
      schedule(last);
    }
    return last;
  }

  async function requestBackgroundSync() {
    try {
      const registration = await serviceWorker?.ready;
      await registration?.sync?.register(SYNC_TAG);
    } catch {
      // not supported, or refused: the page's own triggers remain
    }
  }

  const onOnline = () => {
    clearTimer(onlineTimer);
    onlineTimer = setTimer(() => {
      onlineTimer = null;
      run({ onlineResume: true });
    }, onlineDelay(backoff, random));
  };

  const onVisibility = () => {
    if (doc?.visibilityState === 'visible') run();
    else if (last.pending) serviceWorker?.controller?.postMessage({ type: SYNC_MESSAGE });
  };

  function start() {
    target?.addEventListener('online', onOnline);
    doc?.addEventListener('visibilitychange', onVisibility);
    return run();
  }

  function stop() {
    target?.removeEventListener('online', onOnline);
    doc?.removeEventListener('visibilitychange', onVisibility);
    clearTimer(timer);
    clearTimer(onlineTimer);
  }

  // A new vote, or a person's retry: send now, and ask for Background Sync in case the page goes away.
  function kick() {
    requestBackgroundSync();
    return run();
  }

  // Another tab or the service worker changed the outbox: it may have settled a vote this page last saw being sent
  // (and so slept until that lease ran out), now due again in a second. Wake at the new due time.
  async function refresh() {
    const summary = await engine.summary();
    last = summary;
    schedule(summary);
    return summary;
  }

  return { start, stop, kick, run, refresh, get last() { return last; } };
}
