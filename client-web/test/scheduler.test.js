import { describe, expect, it } from 'vitest';
import { createScheduler, SYNC_MESSAGE, SYNC_TAG } from '../src/lib/scheduler.js';
import { fakeClock } from './support/env.js';

function harness({ pending = 1, wakeIn = 4000, offline = false } = {}) {
  const clock = fakeClock();
  const runs = [];
  const engine = { run: async (options) => {
    runs.push(options ?? {});
    return { pending, nextWakeAt: pending ? clock.now() + wakeIn : null, ...(offline ? { offline } : {}) };
  }, summary: async () => engine.outbox };
  engine.outbox = { pending: 0, nextWakeAt: null };
  const target = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  const messages = [];
  const syncTags = [];
  const serviceWorker = {
    controller: { postMessage: (m) => messages.push(m) },
    ready: Promise.resolve({ sync: { register: async (tag) => { syncTags.push(tag); } } }),
  };
  const timers = [];
  const scheduler = createScheduler({ engine, target, doc, serviceWorker, random: () => 0.5, now: clock.now,
    setTimer: (fn, ms) => { const t = { fn, ms }; timers.push(t); return t; },
    clearTimer: (t) => { const i = timers.indexOf(t); if (i >= 0) timers.splice(i, 1); } });
  return { scheduler, runs, target, doc, messages, syncTags, timers, clock, engine };
}
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('sync triggers', () => {
  it('runs at start-up and again when the next vote is due', async () => {
    const { scheduler, runs, timers } = harness({ wakeIn: 4000 });
    await scheduler.start();
    expect(runs).toHaveLength(1);
    expect(timers.map((t) => t.ms)).toEqual([4000]);
    await timers[0].fn();
    expect(runs).toHaveLength(2);
    scheduler.stop();
    expect(timers).toHaveLength(0);
  });

  it('sets no timer when nothing waits, nor while offline', async () => {
    const idle = harness({ pending: 0 });
    await idle.scheduler.start();
    expect(idle.timers).toHaveLength(0);
    const offline = harness({ pending: 2, wakeIn: -5000, offline: true });
    await offline.scheduler.start();
    expect(offline.timers).toHaveLength(0);
  });

  it('never spins: a due time in the past waits at least 1 s', async () => {
    const { scheduler, timers } = harness({ wakeIn: -5000 });
    await scheduler.start();
    expect(timers.map((t) => t.ms)).toEqual([1000]);
  });

  it('after coming back online, waits a random 0–15 s, then runs with the network backoff lifted', async () => {
    const { scheduler, runs, target, timers } = harness();
    await scheduler.start();
    target.dispatchEvent(new Event('online'));
    target.dispatchEvent(new Event('online')); // flapping: one run
    const online = timers.filter((t) => t.ms === 7500);
    expect(online).toHaveLength(1);
    await online[0].fn();
    expect(runs.at(-1)).toEqual({ onlineResume: true });
  });

  it('visible: runs; hidden with votes waiting: asks the service worker to go on', async () => {
    const { scheduler, runs, doc, messages } = harness();
    await scheduler.start();
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(messages).toEqual([{ type: SYNC_MESSAGE }]);
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(runs).toHaveLength(2);
  });

  it('a new vote runs at once and asks for Background Sync', async () => {
    const { scheduler, runs, syncTags } = harness();
    await scheduler.kick();
    await flush();
    expect(runs).toHaveLength(1);
    expect(syncTags).toEqual([SYNC_TAG]);
  });

  it('when another context changes the outbox, wakes at the new due time instead of the old one', async () => {
    // The worker held the lease (60 s) when this page last looked, then got a 503: the vote is due in 1.5 s.
    const { scheduler, timers, runs, clock, engine } = harness({ wakeIn: 60_000 });
    await scheduler.start();
    expect(timers.map((t) => t.ms)).toEqual([60_000]);
    engine.outbox = { pending: 1, nextWakeAt: clock.now() + 1500 };
    await scheduler.refresh();
    expect(timers.map((t) => t.ms)).toEqual([1500]);
    await timers[0].fn();
    expect(runs).toHaveLength(2);
  });
});
