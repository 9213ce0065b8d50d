package voting.edge.routing;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;

/**
 * Where the services behind the edge listen ({@code scheme://host:port}; a path is ignored) and how long a health
 * check may take.
 */
@ConfigurationProperties("voting.edge")
public record Upstreams(URI commandUrl, URI queryUrl, Duration healthTimeout) {
}
