package voting.edge.limits;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/** Token buckets by client, in memory: each edge instance limits what it sees. */
final class RateLimiter {

    private final RateLimitProperties.Limit limit;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(RateLimitProperties.Limit limit, LongSupplier nanoClock) {
        if (limit.perMinute() <= 0 || limit.burst() <= 0) {
            throw new IllegalArgumentException("A rate limit needs perMinute and burst above 0: " + limit);
        }
        this.limit = limit;
        this.nanoClock = nanoClock;
    }

    /** {@link Duration#ZERO} when the client may go on, otherwise how long it has to wait. */
    Duration acquire(String client) {
        long now = nanoClock.getAsLong();
        return Duration.ofNanos(buckets.computeIfAbsent(client, c -> new TokenBucket(limit, now)).take(now));
    }

    /** Drops the buckets of clients that have been quiet long enough to be full again, so memory follows activity. */
    void forgetQuiet() {
        long now = nanoClock.getAsLong();
        buckets.values().removeIf(bucket -> bucket.isFull(now));
    }

    int clients() {
        return buckets.size();
    }
}
