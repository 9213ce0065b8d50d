import { describe, expect, it } from 'vitest';
import { BACKOFF, ceilingFor, onlineDelay, retryDelay } from '../src/lib/backoff.js';
import { parseRetryAfter, problemFrom, retryHelps, needsCredential } from '../src/lib/problems.js';

describe('backoff', () => {
  it('doubles the ceiling per failed attempt from 1 s, up to the 5 minute cap', () => {
    expect([1, 2, 3, 4, 5, 9, 10, 11, 50, 5000].map((n) => ceilingFor(n)))
      .toEqual([1000, 2000, 4000, 8000, 16000, 256000, 300000, 300000, 300000, 300000]);
  });

  it('full jitter: anywhere from 0 to the ceiling', () => {
    expect(retryDelay({ retries: 4 }, BACKOFF, () => 0)).toBe(0);
    expect(retryDelay({ retries: 4 }, BACKOFF, () => 0.5)).toBe(4000);
    expect(retryDelay({ retries: 4 }, BACKOFF, () => 0.999999)).toBe(7999);
    const samples = Array.from({ length: 2000 }, () => retryDelay({ retries: 6 }));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(32000);
    expect(new Set(samples.map((s) => Math.floor(s / 8000))).size).toBe(4); // spread over the whole range
  });

  it('Retry-After is a floor, with a random share of it (bounded by the ceiling) on top', () => {
    expect(retryDelay({ retries: 1, retryAfterMs: 30_000 }, BACKOFF, () => 0)).toBe(30_000);
    expect(retryDelay({ retries: 1, retryAfterMs: 30_000 }, BACKOFF, () => 0.5)).toBe(30_500);
    expect(retryDelay({ retries: 20, retryAfterMs: 30_000 }, BACKOFF, () => 0.5)).toBe(45_000);
    expect(retryDelay({ retries: 20, retryAfterMs: 600_000 }, BACKOFF, () => 0.999)).toBeLessThan(900_000);
  });

  it('spreads reconnection after coming back online over 0–15 s', () => {
    expect(onlineDelay(BACKOFF, () => 0)).toBe(0);
    expect(onlineDelay(BACKOFF, () => 0.999)).toBe(14985);
  });
});

describe('problems', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-03-01T08:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });

  it('takes retryable from the problem, and from the status without one', () => {
    const body = (slug, retryable) => ({ type: `https://voting.invalid/problems/${slug}`, title: 'T', status: 409, retryable });
    expect(problemFrom({ status: 409, body: body('request-in-flight', true), retryAfter: '1' }))
      .toMatchObject({ slug: 'request-in-flight', retryable: true, retryAfterMs: 1000, title: 'T' });
    expect(problemFrom({ status: 409, body: body('already-voted', false) })).toMatchObject({ slug: 'already-voted', retryable: false });
    expect(problemFrom({ status: 502, body: null })).toMatchObject({ slug: 'http-502', retryable: true });
    expect(problemFrom({ status: 429, body: null, retryAfter: '3' })).toMatchObject({ retryable: true, retryAfterMs: 3000 });
    expect(problemFrom({ status: 404, body: null })).toMatchObject({ retryable: false });
  });

  it('knows where a retry by the person can help', () => {
    expect(retryHelps({ slug: 'election-not-open' })).toBe(true);
    expect(retryHelps({ slug: 'receipt-unverified' })).toBe(true);
    expect(retryHelps({ slug: 'already-voted' })).toBe(false);
    expect(retryHelps({ slug: 'invalid-signature' })).toBe(false);
    expect(needsCredential({ slug: 'ineligible' })).toBe(true);
    expect(needsCredential({ slug: 'election-not-open' })).toBe(false);
  });
});
