// When the outbox tries again. Exponential backoff with full jitter (a random delay between 0 and the ceiling),
// the ceiling doubling per failed attempt up to a cap; Retry-After is a floor, and a random share of it is added so
// that every client told "come back in 30 s" does not come back in the same second.

export const BACKOFF = Object.freeze({
  baseMs: 1_000, // ceiling after the first failure
  capMs: 5 * 60_000, // the ceiling never grows past 5 minutes
  onlineJitterMs: 15_000, // after coming back online, wait a random 0–15 s before sending
});

export function ceilingFor(retries, { baseMs, capMs } = BACKOFF) {
  const exponent = Math.max(0, Math.min(retries - 1, 30));
  return Math.min(capMs, baseMs * 2 ** exponent);
}

// retries: failed attempts so far, this one included (≥ 1).
export function retryDelay({ retries, retryAfterMs = null }, options = BACKOFF, random = Math.random) {
  const ceiling = ceilingFor(retries, options);
  if (retryAfterMs == null) return Math.floor(random() * ceiling);
  return retryAfterMs + Math.floor(random() * Math.min(ceiling, retryAfterMs));
}

export function onlineDelay(options = BACKOFF, random = Math.random) {
  return Math.floor(random() * options.onlineJitterMs);
}
