// The device's storage: one IndexedDB database through Dexie, shared by every tab and the service worker.
import Dexie from 'dexie';

export const DB_NAME = 'voting-client';

// outbox   one row per vote this device holds (see outbox.js for the fields)
// ballots  one row per election: this device's voter key pair (non-extractable CryptoKeys), the token request
//          it sends (alg, publicKey, prefix, credential) and, once issued, its ballot token
// elections the last election details seen (keys, options, eligibility): what lets a person vote offline
// meta     small key/value facts: the last elections list, whether persistent storage was granted
export function openDb({ name = DB_NAME, indexedDB, IDBKeyRange } = {}) {
  const db = new Dexie(name, indexedDB ? { indexedDB, IDBKeyRange } : undefined);
  db.version(1).stores({
    outbox: 'id, electionId, status, nextAttemptAt',
    ballots: 'electionId',
    elections: 'id',
    meta: 'key',
  });
  return db;
}

export async function getMeta(db, key) {
  return (await db.meta.get(key))?.value;
}

export async function setMeta(db, key, value) {
  await db.meta.put({ key, value });
}
