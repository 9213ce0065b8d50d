package voting.edge.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The largest request bodies the edge forwards (defaults in application.yml).
 *
 * @param votes 16 KiB by contract, answered with {@code 413 vote-too-large}
 * @param other every other API path, answered with {@code 413 request-too-large}
 */
@ConfigurationProperties("voting.edge.body-limit")
public record BodyLimitProperties(DataSize votes, DataSize other) {
}
