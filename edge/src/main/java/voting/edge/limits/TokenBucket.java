package voting.edge.limits;

/**
 * One client's allowance: up to {@code burst} requests at once, one more every {@code 60 s / perMinute}. Kept as the
 * moment the bucket will be full again (the GCRA form of a token bucket): one number, exact integer arithmetic.
 */
final class TokenBucket {

    private final long interval;
    private final long burstTolerance;
    private long fullAt;

    TokenBucket(RateLimitProperties.Limit limit, long now) {
        this.interval = 60_000_000_000L / limit.perMinute();
        this.burstTolerance = (limit.burst() - 1) * interval;
        this.fullAt = now;
    }

    /** Takes a permit and answers 0, or answers how many nanoseconds until one is there. */
    synchronized long take(long now) {
        long from = Math.max(fullAt, now);
        long wait = from - now - burstTolerance;
        if (wait > 0) {
            return wait;
        }
        fullAt = from + interval;
        return 0;
    }

    /** A full bucket is the same as none: it can be forgotten. */
    synchronized boolean isFull(long now) {
        return fullAt <= now;
    }
}
