// The words the voter sees and hears for each state: never colour alone.
import { retryHelps } from '../lib/problems.js';
import { voteCode } from '../lib/voteCrypto.js';

export const STATE_WORDS = {
  queued: 'Queued',
  sending: 'Transmitting',
  confirmed: 'Confirmed',
  failed: 'Failed',
};

export function stateDetail(item, nowMs = Date.now()) {
  switch (item.status) {
    case 'queued': {
      if (!item.lastError) return 'Stored on this device; it will be sent as soon as possible.';
      const waitS = item.nextAttemptAt ? Math.max(0, Math.ceil((item.nextAttemptAt - nowMs) / 1000)) : 0;
      const when = waitS > 0 ? ` Next try in about ${waitS} s.` : ' Next try soon.';
      return `Stored on this device. Last try: ${item.lastError.title}.${when}`;
    }
    case 'sending':
      return 'Sending to the server now.';
    case 'confirmed':
      return 'The server has stored your vote and signed a receipt for it.';
    case 'failed':
      return retryHelps(item.lastError) ? `${item.lastError.title}. You can retry.` : `${item.lastError?.title ?? 'Not accepted'}.`;
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
      return `Vote failed${where}: ${item.lastError?.title ?? 'not accepted'}.${retryHelps(item.lastError) ? ' You can retry.' : ''}`;
    default:
      return '';
  }
}

export const ELECTION_STATUS_WORDS = { draft: 'Not open yet', open: 'Open', closed: 'Closed' };
