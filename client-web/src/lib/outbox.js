// The outbox: every vote this device holds, in one Dexie table, and the only ways a person changes it.
//
// An item (fields of the design):
//   id               local key, equal to the vote's voteId
//   electionId, voteId, choice, castAt, idempotencyKey   the vote's own fields, fixed when it is queued
//   status           'queued' (stored on this device) | 'sending' | 'confirmed' | 'failed'
//   retries          attempts that ended without a receipt
//   nextAttemptAt    ms since the epoch; when the sync engine may try again (null once confirmed or failed)
//   lastError        the last problem: {kind, slug, title, status, detail, retryable, retryAfterMs} or null
//   token, signature, voteHash, ballotId, alg        set once, when the vote is signed
//   receipt          the server's signed receipt, once verified
//   leaseOwner, leaseUntil                            who is sending it right now, and until when
//   electionTitle, choiceLabel, createdAt, updatedAt, confirmedAt             for the person's list
//
// Signing once. The signature covers the ballot token, and the token request needs this device's public key,
// so a vote cast before the device has a token (offline, say) cannot be signed yet. Such a vote is stored at
// once as Queued with its fields fixed (voteId, choice, castAt, idempotencyKey); the sync engine signs it exactly
// once, when the token is there, and stores the signature with it. It is never signed again: every resend
// carries the same bytes, the same voteHash, the same idempotency key.
import { ensureBallot, setCredential } from './ballots.js';
import { retryHelps } from './problems.js';

export const STATUS = Object.freeze({ QUEUED: 'queued', SENDING: 'sending', CONFIRMED: 'confirmed', FAILED: 'failed' });

export class VoteRefused extends Error {
  constructor(message) {
    super(message);
    this.name = 'VoteRefused';
  }
}

export async function votesOf(db, electionId) {
  const items = await db.outbox.where('electionId').equals(electionId).toArray();
  return items.sort((a, b) => a.createdAt - b.createdAt);
}

export async function allVotes(db) {
  const items = await db.outbox.toArray();
  return items.sort((a, b) => b.createdAt - a.createdAt);
}

// May this device cast a (new) vote in this election now? Without revoting, only when every vote it holds
// failed for a reason other than the ballot already holding a vote.
export function canCast(election, items) {
  if (!election || election.status !== 'open') return false;
  if (items.length === 0 || election.revoting) return true;
  return items.every((item) => item.status === STATUS.FAILED && item.lastError?.slug !== 'already-voted');
}

export async function queueVote({ db, election, choice, credential = null, subtle, algorithms,
  now = () => Date.now(), uuid = () => crypto.randomUUID() }) {
  const option = election.options.find((o) => o.id === choice);
  if (!option) throw new VoteRefused('Choose one of the options.');
  if (election.status !== 'open') throw new VoteRefused('This election is not open for voting.');
  const earlier = await votesOf(db, election.id);
  if (!canCast(election, earlier)) throw new VoteRefused('This device has already voted in this election.');

  const ballot = await ensureBallot({ db, electionId: election.id, subtle, algorithms });
  if (election.eligibility === 'credential' && !ballot.token) {
    if (credential) await setCredential(db, election.id, credential.trim());
    else if (!ballot.credential) throw new VoteRefused('Enter your voting credential.');
  }

  // Decided again inside the transaction that adds the vote: another tab may have queued one since the check above
  // (IndexedDB read-write transactions on the outbox never overlap, across tabs and the worker).
  let item;
  await db.transaction('rw', db.outbox, async () => {
    const current = await votesOf(db, election.id);
    if (!canCast(election, current)) throw new VoteRefused('This device has already voted in this election.');
    // castAt strictly after this device's earlier votes here: with revoting, only a later castAt replaces a vote.
    const t = Math.max(now(), ...current.map((older) => Date.parse(older.castAt) + 1));
    const voteId = uuid();
    item = {
      id: voteId,
      electionId: election.id,
      voteId,
      choice,
      castAt: new Date(t).toISOString(),
      idempotencyKey: uuid(),
      status: STATUS.QUEUED,
      retries: 0,
      nextAttemptAt: t,
      lastError: null,
      token: null,
      signature: null,
      voteHash: null,
      ballotId: ballot.ballotId,
      alg: ballot.alg,
      receipt: null,
      leaseOwner: null,
      leaseUntil: null,
      electionTitle: election.title,
      choiceLabel: option.label,
      createdAt: t,
      updatedAt: t,
      confirmedAt: null,
    };
    // Revoting: a newer vote replaces the older ones still waiting here; only the newest castAt counts anyway.
    // One already being sent is left alone: the server keeps whichever is newer.
    for (const older of current) {
      if (older.status === STATUS.QUEUED) {
        await db.outbox.put({ ...older, status: STATUS.FAILED, nextAttemptAt: null, updatedAt: t,
          lastError: { kind: 'local', slug: 'superseded', title: 'Replaced by a newer vote', status: null,
            detail: null, retryable: false, retryAfterMs: null } });
      }
    }
    await db.outbox.add(item);
  });
  return item;
}

// A person's retry of a failed vote, where retrying can help. The vote keeps its fields, its signature if it has
// one, and its idempotency key: it is the same vote sent again.
export async function retryVote({ db, id, credential = null, now = () => Date.now() }) {
  const item = await db.outbox.get(id);
  if (!item || item.status !== STATUS.FAILED || !retryHelps(item.lastError)) return false;
  if (credential) await setCredential(db, item.electionId, credential.trim());
  return db.transaction('rw', db.outbox, async () => {
    const current = await db.outbox.get(id);
    if (current.status !== STATUS.FAILED) return false;
    await db.outbox.put({ ...current, status: STATUS.QUEUED, nextAttemptAt: now(), updatedAt: now() });
    return true;
  });
}
