// The sync engine: the one piece of code that sends votes, run by the page and by the service worker alike.
//
// A pass looks at every vote that is due (Queued and past its next attempt, or Sending under a lease that ran
// out because its sender died) and, one at a time:
//   1. takes the item's Web Lock (`voting-outbox:<id>`, ifAvailable: a busy item is skipped) where the browser
//      has Web Locks, and claims a lease on it in one IndexedDB transaction: status 'sending', leaseOwner = this
//      engine, leaseUntil = now + leaseMs. IndexedDB read-write transactions on one store never overlap, across
//      tabs and the worker, so exactly one context wins the claim; the lease also covers a context that dies
//      mid-send (its lease runs out and the item is due again) and browsers without Web Locks;
//   2. gets the ballot token if the device has none yet, and signs the vote if it is not signed yet (once, ever);
//   3. sends it with `Idempotency-Key`; a resend of the same vote is answered with the same receipt, so a lease
//      that ran out while an answer was on its way costs a duplicate request, never a duplicate vote;
//   4. settles it: a 2xx whose receipt verifies (signature with the election's receipt key, and it names this
//      vote, its voteHash and its ballot) → Confirmed; a problem with `retryable: false` → Failed; no answer,
//      429, 503 and retryable problems → Queued again, with exponential backoff and full jitter, Retry-After as a
//      floor (backoff.js). Only the lease's owner settles an item, except that a verified receipt always wins.
import { canonicalize } from './canonical.js';
import { NetworkError } from './api.js';
import { obtainToken, OutboxProblem } from './ballots.js';
import { BACKOFF, retryDelay } from './backoff.js';
import { checkReceipt, signVote, unsignedVote } from './voteCrypto.js';
import { localProblem, networkProblem, problemFrom } from './problems.js';
import { STATUS } from './outbox.js';

class LeaseLost extends Error {}

export function createSyncEngine({
  db,
  api,
  owner,
  subtle = globalThis.crypto.subtle,
  now = () => Date.now(),
  random = Math.random,
  locks = globalThis.navigator?.locks,
  leaseMs = 60_000,
  backoff = BACKOFF,
  isOnline = () => globalThis.navigator?.onLine !== false,
  notify = () => {},
}) {
  let running = null;
  let rerun = false;
  let rerunOnlineResume = false;

  const isDue = (item, t, onlineResume) => {
    if (item.status === STATUS.QUEUED) {
      return item.nextAttemptAt <= t || (onlineResume && item.lastError?.kind === 'network');
    }
    return item.status === STATUS.SENDING && (item.leaseUntil ?? 0) <= t;
  };

  async function claim(id, onlineResume) {
    return db.transaction('rw', db.outbox, async () => {
      const item = await db.outbox.get(id);
      const t = now();
      if (!item || !isDue(item, t, onlineResume)) return null;
      const claimed = { ...item, status: STATUS.SENDING, leaseOwner: owner, leaseUntil: t + leaseMs, updatedAt: t };
      await db.outbox.put(claimed);
      return claimed;
    });
  }

  // Extends our lease before each step that talks to the network, or applies a change we hold the lease for.
  async function underLease(id, change = (item) => item) {
    return db.transaction('rw', db.outbox, async () => {
      const item = await db.outbox.get(id);
      if (!item || item.status !== STATUS.SENDING || item.leaseOwner !== owner) throw new LeaseLost();
      const updated = { ...change(item), leaseUntil: now() + leaseMs };
      await db.outbox.put(updated);
      return updated;
    });
  }

  async function refreshElection(id) {
    try {
      const response = await api.getElection(id);
      if (response.ok && response.body?.id === id) {
        await db.elections.put({ id, election: response.body, fetchedAt: now() });
        return response.body;
      }
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
    }
    return null;
  }

  async function electionFor(id) {
    const kept = (await db.elections.get(id))?.election;
    if (kept) return kept;
    const response = await api.getElection(id);
    if (response.ok && response.body?.id === id) {
      await db.elections.put({ id, election: response.body, fetchedAt: now() });
      return response.body;
    }
    throw new OutboxProblem(problemFrom({ status: response.status, body: response.body,
      retryAfter: response.headers.get('retry-after'), nowMs: now() }));
  }

  async function attempt(claimed) {
    let item = claimed;
    let election = await electionFor(item.electionId);
    if (!item.signature) {
      await underLease(item.id);
      const { token, ballot } = await obtainToken({ db, api, election, subtle, locks, nowMs: now, refreshElection });
      const signed = await signVote({ alg: ballot.alg, privateKey: ballot.keyPair.privateKey, subtle,
        fields: { ...item, token } });
      // The one and only signature of this vote.
      item = await underLease(item.id, (current) => (current.signature ? current : {
        ...current, token, signature: signed.signature, voteHash: signed.voteHash, ballotId: ballot.ballotId,
        alg: ballot.alg, updatedAt: now(),
      }));
      notify(item);
    } else {
      item = await underLease(item.id);
    }
    const vote = { ...unsignedVote(item), signature: item.signature };
    const response = await api.postVote(item.electionId, canonicalize(vote), item.idempotencyKey);
    if (response.status >= 200 && response.status < 300) {
      const check = (keys) => checkReceipt({ receiptKey: keys.receipt, receipt: response.body, vote,
        voteHash: item.voteHash, ballotId: item.ballotId, subtle });
      let verified = await check(election.keys);
      if (!verified && (election = await refreshElection(item.electionId))) verified = await check(election.keys);
      if (!verified) return { problem: localProblem('receipt-unverified', 'The receipt did not verify') };
      return { receipt: response.body };
    }
    return { problem: problemFrom({ status: response.status, body: response.body,
      retryAfter: response.headers.get('retry-after'), nowMs: now() }) };
  }

  async function settle(id, outcome) {
    return db.transaction('rw', db.outbox, async () => {
      const item = await db.outbox.get(id);
      if (!item) return null;
      const t = now();
      const released = { leaseOwner: null, leaseUntil: null, updatedAt: t };
      let next;
      if (outcome.receipt) {
        if (item.status === STATUS.CONFIRMED) return null;
        next = { ...item, ...released, status: STATUS.CONFIRMED, receipt: outcome.receipt, lastError: null,
          nextAttemptAt: null, confirmedAt: t };
      } else {
        if (item.status !== STATUS.SENDING || item.leaseOwner !== owner) return null; // someone else has it now
        const problem = outcome.problem;
        const retries = item.retries + 1;
        next = problem.retryable
          ? { ...item, ...released, status: STATUS.QUEUED, retries, lastError: problem,
            nextAttemptAt: t + retryDelay({ retries, retryAfterMs: problem.retryAfterMs }, backoff, random) }
          : { ...item, ...released, status: STATUS.FAILED, retries, lastError: problem, nextAttemptAt: null };
      }
      await db.outbox.put(next);
      return next;
    });
  }

  async function processItem(id, onlineResume) {
    const claimed = await claim(id, onlineResume);
    if (!claimed) return;
    notify(claimed);
    let outcome;
    try {
      outcome = await attempt(claimed);
    } catch (error) {
      if (error instanceof LeaseLost) return;
      if (error instanceof OutboxProblem) outcome = { problem: error.problem };
      else if (error instanceof NetworkError) outcome = { problem: networkProblem(error.message) };
      // A fault on this device (storage, a bug): keep the vote and try again later rather than drop it.
      else outcome = { problem: { ...localProblem('client-error', 'Something went wrong on this device', String(error?.message ?? error)), retryable: true } };
    }
    const settled = await settle(id, outcome);
    if (settled) notify(settled);
  }

  async function withItemLock(id, fn) {
    if (!locks?.request) return fn();
    return locks.request(`voting-outbox:${id}`, { ifAvailable: true }, (lock) => (lock ? fn() : null));
  }

  async function summary(offline = false) {
    const open = await db.outbox.where('status').anyOf(STATUS.QUEUED, STATUS.SENDING).toArray();
    let nextWakeAt = null;
    for (const item of open) {
      const at = item.status === STATUS.QUEUED ? item.nextAttemptAt : item.leaseUntil;
      if (at != null && (nextWakeAt == null || at < nextWakeAt)) nextWakeAt = at;
    }
    return offline ? { pending: open.length, nextWakeAt, offline: true } : { pending: open.length, nextWakeAt };
  }

  async function pass(onlineResume) {
    if (!isOnline()) return summary(true); // the 'online' event brings the engine back
    const t = now();
    const open = await db.outbox.where('status').anyOf(STATUS.QUEUED, STATUS.SENDING).toArray();
    const due = open.filter((item) => isDue(item, t, onlineResume)).sort((a, b) => a.createdAt - b.createdAt);
    for (const item of due) {
      if (!isOnline()) return summary(true);
      await withItemLock(item.id, () => processItem(item.id, onlineResume));
    }
    return summary();
  }

  // One pass at a time per engine; a call during a pass asks for one more pass after it.
  function run({ onlineResume = false } = {}) {
    if (running) {
      rerun = true;
      rerunOnlineResume ||= onlineResume;
      return running;
    }
    running = (async () => {
      let result = await pass(onlineResume);
      while (rerun) {
        const resume = rerunOnlineResume;
        rerun = false;
        rerunOnlineResume = false;
        result = await pass(resume);
      }
      return result;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return { run, summary, owner };
}
