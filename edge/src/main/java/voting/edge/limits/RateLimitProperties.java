package voting.edge.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-client limits on the two paths anyone can call in bulk (defaults in application.yml).
 *
 * @param enabled        off only for load tests without an admin token
 * @param trustedProxies how many proxies in front of the edge append to {@code X-Forwarded-For}; 0 ignores the header
 * @param ballotTokens   token issuance
 * @param votes          vote submission
 */
@ConfigurationProperties("voting.edge.rate-limit")
public record RateLimitProperties(boolean enabled, int trustedProxies, Limit ballotTokens, Limit votes) {

    /** A token bucket: {@code burst} requests at once, refilled at {@code perMinute}. */
    public record Limit(int perMinute, int burst) {
    }
}
