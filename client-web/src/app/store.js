// The page's view of the device: the votes it holds (re-read whenever any tab or the service worker changes the
// outbox), the online flag, and the one status message that the polite status region speaks.
import { reactive } from 'vue';
import { allVotes, queueVote, retryVote } from '../lib/outbox.js';
import { cachedElection, loadElection, loadElectionList } from '../lib/elections.js';
import { getMeta, setMeta } from '../lib/db.js';
import { announcement } from './words.js';

// notify: tells the other tabs that this one changed the outbox (the sync engine tells them of its own changes).
export function createStore({ db, api, scheduler = null, subtle, nav = globalThis.navigator, target = globalThis.window,
  notify = () => {} }) {
  const state = reactive({
    votes: [],
    online: nav?.onLine !== false,
    message: '',
    persisted: null,
    loaded: false,
  });
  let seen = null; // id → status last shown
  let voteWords = null; // the last words said about votes
  let reloading = null;
  let again = false;

  function announce(text) {
    // Cleared first, so that the same words said twice are spoken twice.
    state.message = '';
    setTimeout(() => { state.message = text; }, 50);
  }

  async function readVotes() {
    const votes = await allVotes(db);
    if (seen) {
      // Every change is announced, except the Queued ⇄ Transmitting round trips of a vote already retrying, which
      // would otherwise speak every few seconds while the network is bad; the card still shows them.
      const changed = votes.filter((item) => seen.get(item.id) !== item.status);
      const spoken = changed.filter((item) => item.retries <= 1 || item.status === 'confirmed' || item.status === 'failed');
      if (spoken.length) {
        voteWords = spoken.map(announcement).join(' ');
        announce(voteWords);
      } else if (changed.length && state.message && state.message === voteWords) {
        // Not said, but the region shows its words too: they must not go on saying "transmitting" while the card
        // says Queued. Emptying the region is not spoken.
        state.message = '';
      }
    }
    seen = new Map(votes.map((item) => [item.id, item.status]));
    state.votes = votes;
    state.loaded = true;
  }

  // Coalesces bursts of change notices into as few reads as possible.
  function reload() {
    if (reloading) {
      again = true;
      return reloading;
    }
    reloading = (async () => {
      do {
        again = false;
        await readVotes();
      } while (again);
    })().finally(() => { reloading = null; });
    return reloading;
  }

  async function askPersistence() {
    try {
      if (!nav?.storage?.persist) return;
      const already = await nav.storage.persisted();
      state.persisted = already || await nav.storage.persist();
      await setMeta(db, 'persisted', state.persisted);
    } catch {
      // the vote is stored either way; persistence only keeps the browser from evicting it under pressure
    }
  }

  async function castVote({ election, choice, credential }) {
    const item = await queueVote({ db, election, choice, credential, subtle });
    notify();
    await reload();
    askPersistence();
    scheduler?.kick();
    return item;
  }

  async function retry(id, credential) {
    const ok = await retryVote({ db, id, credential });
    if (ok) notify();
    await reload();
    if (ok) scheduler?.kick();
    return ok;
  }

  target?.addEventListener?.('online', () => {
    state.online = true;
    announce('Back online. Waiting votes will be sent shortly.');
  });
  target?.addEventListener?.('offline', () => {
    state.online = false;
    announce('You are offline. Votes you cast are kept on this device and sent when you are back online.');
  });

  (async () => {
    state.persisted = nav?.storage?.persisted ? await nav.storage.persisted().catch(() => null)
      : (await getMeta(db, 'persisted')) ?? null;
  })();

  return {
    state,
    reload,
    announce,
    castVote,
    retry,
    cachedElection: (id) => cachedElection(db, id),
    cachedElectionList: async () => (await getMeta(db, 'electionList'))?.elections ?? null,
    loadElection: (id) => loadElection({ db, api, id }),
    loadElectionList: () => loadElectionList({ db, api }),
    api,
  };
}
