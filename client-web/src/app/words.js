// The words the voter sees and hears for each state: never colour alone.
import { retryHelps } from '../lib/problems.js';
import { voteCode } from '../lib/voteCrypto.js';

export const STATE_WORDS = {
  queued: 'Queued',
  sending: 'Transmitting',
  confirmed: 'Confirmed',
  failed: 'Failed',
};

// What the voter reads for a problem: words chosen by its type (the contract's slug), never the server's `detail`,
// which is written for developers (it names election ids and internals). A type not listed here falls back to the
// problem's title, which the contract fixes per type.
const PROBLEM_WORDS = {
  'election-closed': 'Voting in this election has closed, so this vote was not counted',
  'election-not-open': 'Voting in this election has not opened yet',
  'already-voted': 'This device has already voted in this election',
  'unknown-election': 'This election does not exist',
  ineligible: 'This voting credential is not valid for this election',
  'credential-used': 'This voting credential has already been used',
  'credential-required': 'A voting credential is needed',
  'invalid-token-request': 'The server could not give this device a ballot; check the voting credential',
  'invalid-token': 'The server did not accept this device\'s ballot for this election',
  'invalid-signature': 'The server could not check this vote\'s signature',
  'invalid-vote': 'The server could not read this vote',
  'vote-too-large': 'This vote is too large to send',
  'idempotency-key-reused': 'The server holds a different vote under this vote\'s key',
  'request-in-flight': 'The server is still processing this vote',
  'rate-limited': 'The server is busy right now',
  unavailable: 'The server is busy right now',
  'internal-error': 'The server had a problem',
  'results-not-public': 'Results are not public yet',
};

export function problemMessage(problem) {
  if (!problem) return 'Not accepted';
  return PROBLEM_WORDS[problem.slug] ?? (typeof problem.title === 'string' && problem.title ? problem.title : 'Not accepted');
}

export function stateDetail(item, nowMs = Date.now()) {
  switch (item.status) {
    case 'queued': {
      if (!item.lastError) return 'Stored on this device; it will be sent as soon as possible.';
      const waitS = item.nextAttemptAt ? Math.max(0, Math.ceil((item.nextAttemptAt - nowMs) / 1000)) : 0;
      const when = waitS > 0 ? ` Next try in about ${waitS} s.` : ' Next try soon.';
      return `Stored on this device. Last try: ${problemMessage(item.lastError)}.${when}`;
    }
    case 'sending':
      return 'Sending to the server now.';
    case 'confirmed':
      return 'The server has stored your vote and signed a receipt for it.';
    case 'failed':
      return `${problemMessage(item.lastError)}.${retryHelps(item.lastError) ? ' You can retry.' : ''}`;
    default:
      return '';
  }
}

// What the status region says when a vote changes state.
export function announcement(item) {
  const where = item.electionTitle ? ` (${item.electionTitle})` : '';
  switch (item.status) {
    case 'queued':
      return `Vote queued${where}: stored on this device.`;
    case 'sending':
      return `Vote transmitting${where}.`;
    case 'confirmed':
      return `Vote confirmed${where}. Vote code ${voteCode(item.receipt?.voteHash)}.`;
    case 'failed':
      return `Vote failed${where}: ${problemMessage(item.lastError)}.${retryHelps(item.lastError) ? ' You can retry.' : ''}`;
    default:
      return '';
  }
}

export const ELECTION_STATUS_WORDS = { draft: 'Not open yet', open: 'Open', closed: 'Closed' };

// With revoting, a device may hold several confirmed votes in one election; the server counts only the one cast
// last (the newest castAt). Returns, for each such vote, whether it is the one that counts or was replaced. Votes
// not confirmed, and an election's only confirmed vote, get no mark: there is nothing to tell apart.
export function voteStandings(votes) {
  const confirmed = new Map();
  for (const item of votes) {
    if (item.status !== 'confirmed') continue;
    confirmed.set(item.electionId, [...(confirmed.get(item.electionId) ?? []), item]);
  }
  const standings = new Map();
  for (const items of confirmed.values()) {
    if (items.length < 2) continue;
    const newest = items.reduce((a, b) => (Date.parse(b.castAt) > Date.parse(a.castAt) ? b : a));
    for (const item of items) standings.set(item.id, item === newest ? 'counts' : 'replaced');
  }
  return standings;
}

export const STANDING_WORDS = {
  counts: 'This is the vote that counts: it is your newest confirmed vote.',
  replaced: 'Replaced by your newer vote: it is stored, but only your newest vote counts.',
};

// Why no results are shown yet, and when they will be.
export function resultsHiddenText(election, locale) {
  const closes = election?.closesAt ? new Date(election.closesAt) : null;
  const when = closes && !Number.isNaN(closes.getTime())
    ? ` when voting closes (${closes.toLocaleString(locale)})` : ' when voting closes';
  return `This election does not show results while voting is open. They will be published here${when}.`;
}
