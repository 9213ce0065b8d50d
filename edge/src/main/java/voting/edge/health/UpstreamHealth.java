package voting.edge.health;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.ReactiveHealthIndicator;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * One service behind the edge is up when its own {@code /actuator/health} says so within the timeout. The details
 * say what was seen, but not where the service lives: the edge's health is public.
 */
final class UpstreamHealth implements ReactiveHealthIndicator {

    private final WebClient client;
    private final URI health;
    private final Duration timeout;

    UpstreamHealth(WebClient client, URI base, Duration timeout) {
        this.client = client;
        this.health = base.resolve("/actuator/health");
        this.timeout = timeout;
    }

    @Override
    public Mono<Health> health() {
        return client.get().uri(health)
                .exchangeToMono(response -> response.bodyToMono(JsonNode.class)
                        .map(body -> body.path("status").asText("UNKNOWN"))
                        .defaultIfEmpty("HTTP " + response.statusCode().value())
                        .map(status -> "UP".equals(status) && response.statusCode().is2xxSuccessful()
                                ? Health.up().build()
                                : Health.down().withDetail("reported", status).build()))
                .timeout(timeout)
                .onErrorResume(e -> Mono.just(Health.down().withDetail("reason", reason(e)).build()));
    }

    private String reason(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return "no answer in " + timeout;
        }
        return failure instanceof WebClientRequestException ? "unreachable" : "unreadable answer";
    }
}
