// Election details, from the network when it answers and from this device when it does not.
import { NetworkError } from './api.js';
import { getMeta, setMeta } from './db.js';

export class ElectionUnavailable extends Error {
  constructor(id, problem) {
    super(`election ${id} is not available`);
    this.problem = problem;
  }
}

export async function cachedElection(db, id) {
  return (await db.elections.get(id))?.election ?? null;
}

// Fetches the election and keeps it; falls back to the kept copy when the network fails.
// Returns {election, fromCache}; throws ElectionUnavailable when neither has it (problem null: offline).
export async function loadElection({ db, api, id }) {
  try {
    const response = await api.getElection(id);
    if (response.ok && response.body && response.body.id === id) {
      await db.elections.put({ id, election: response.body, fetchedAt: Date.now() });
      return { election: response.body, fromCache: false };
    }
    const cached = await cachedElection(db, id);
    if (cached && response.status >= 500) return { election: cached, fromCache: true };
    throw new ElectionUnavailable(id, { status: response.status, title: response.body?.title ?? `HTTP ${response.status}`,
      slug: response.body?.type?.split('/').pop() ?? null });
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    const cached = await cachedElection(db, id);
    if (cached) return { election: cached, fromCache: true };
    throw new ElectionUnavailable(id, null);
  }
}

export async function loadElectionList({ db, api }) {
  try {
    const response = await api.listElections();
    if (response.ok && Array.isArray(response.body)) {
      await setMeta(db, 'electionList', { elections: response.body, fetchedAt: Date.now() });
      return { elections: response.body, fromCache: false };
    }
    const cached = await getMeta(db, 'electionList');
    if (cached) return { elections: cached.elections, fromCache: true, fetchedAt: cached.fetchedAt };
    throw new ElectionUnavailable('*', { status: response.status, title: response.body?.title ?? `HTTP ${response.status}` });
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    const cached = await getMeta(db, 'electionList');
    if (cached) return { elections: cached.elections, fromCache: true, fetchedAt: cached.fetchedAt };
    throw new ElectionUnavailable('*', null);
  }
}
