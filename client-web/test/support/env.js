import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { openDb } from '../../src/lib/db.js';
import { createApi } from '../../src/lib/api.js';

export const newDb = () => openDb({ name: `test-${crypto.randomUUID()}`, indexedDB, IDBKeyRange });

export function fakeClock(start = Date.parse('2026-03-01T08:00:00Z')) {
  const clock = { t: start, now: () => clock.t, advance: (ms) => { clock.t += ms; } };
  return clock;
}

export const apiFor = (server) => createApi({ fetch: (url, init) => server.fetch(url, init), baseUrl: 'http://client.test' });

// A minimal Web Locks: exclusive locks by name, `ifAvailable` answers null when held.
export function fakeLocks() {
  const held = new Map();
  return {
    held,
    async request(name, optionsOrFn, maybeFn) {
      const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
      const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn;
      while (held.has(name)) {
        if (options.ifAvailable) return fn(null);
        await held.get(name);
      }
      let release;
      held.set(name, new Promise((resolve) => { release = resolve; }));
      try {
        return await fn({ name });
      } finally {
        held.delete(name);
        release();
      }
    },
  };
}
