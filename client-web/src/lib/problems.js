// RFC 9457 problems as the contract writes them, and what the outbox makes of them.

export const PROBLEM_PREFIX = 'https://voting.invalid/problems/';

export function slugOf(type) {
  return typeof type === 'string' && type.startsWith(PROBLEM_PREFIX) ? type.slice(PROBLEM_PREFIX.length) : null;
}

// Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3). Returns milliseconds from now, or null.
export function parseRetryAfter(value, nowMs = Date.now()) {
  if (value == null || value === '') return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

// Without a problem body (an edge's 502, say), the status decides.
export function retryableStatus(status) {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

// A problem the client keeps: the fields the UI shows and the queue decides on.
export function problemFrom({ status, body, retryAfter, nowMs }) {
  const isProblem = body && typeof body === 'object' && typeof body.type === 'string';
  const slug = isProblem ? slugOf(body.type) : null;
  return {
    kind: 'problem',
    slug: slug ?? `http-${status}`,
    title: isProblem && typeof body.title === 'string' ? body.title : `The server answered ${status}`,
    status,
    detail: isProblem && typeof body.detail === 'string' ? body.detail : null,
    retryable: isProblem && typeof body.retryable === 'boolean' ? body.retryable : retryableStatus(status),
    retryAfterMs: parseRetryAfter(retryAfter, nowMs),
  };
}

export const networkProblem = (message) => ({
  kind: 'network', slug: 'network', title: 'No connection to the server', status: null,
  detail: message ?? null, retryable: true, retryAfterMs: null,
});

// Problems the client makes itself.
export const localProblem = (slug, title, detail = null) => ({
  kind: 'local', slug, title, status: null, detail, retryable: false, retryAfterMs: null,
});

// Failed for good as far as the queue knows, but a person can do something about it: wait for the election to
// open, enter another credential, or ask again for a receipt that did not verify (a resend gets the same receipt).
const HELPED_BY_RETRY = new Set([
  'election-not-open', 'ineligible', 'credential-used', 'credential-required', 'invalid-token-request',
  'receipt-unverified', 'token-unverified', 'election-unavailable',
]);
export const retryHelps = (problem) => Boolean(problem) && HELPED_BY_RETRY.has(problem.slug);

// Problems that a new credential can cure.
const CREDENTIAL_PROBLEMS = new Set(['ineligible', 'credential-used', 'credential-required', 'invalid-token-request']);
export const needsCredential = (problem) => Boolean(problem) && CREDENTIAL_PROBLEMS.has(problem.slug);
