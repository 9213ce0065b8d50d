package voting.edge.limits;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import voting.service.AdminToken;
import voting.service.Problem;
import voting.service.ProblemResponses;

import java.io.UncheckedIOException;
import java.time.Duration;

/** Answers {@code 429 rate-limited} with the seconds until the client's next permit, unless the admin token is sent. */
final class RateLimitFilter implements GatewayFilter {

    private final RateLimiter limiter;
    private final ClientAddress clients;
    private final AdminToken admin;
    private final ObjectMapper json;

    RateLimitFilter(RateLimiter limiter, ClientAddress clients, AdminToken admin, ObjectMapper json) {
        this.limiter = limiter;
        this.clients = clients;
        this.admin = admin;
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        // Operators and benchmark preparation send the admin token; a wrong token is limited like any client.
        if (admin.accepts(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))) {
            return chain.filter(exchange);
        }
        return limit(exchange, chain);
    }

    private Mono<Void> limit(ServerWebExchange exchange, GatewayFilterChain chain) {
        Duration wait = limiter.acquire(clients.of(exchange.getRequest()));
        return wait.isZero() ? chain.filter(exchange) : tooMany(exchange, wait);
    }

    // Written here rather than thrown: the shared problem handler would replace Retry-After with its fixed value.
    private Mono<Void> tooMany(ServerWebExchange exchange, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        byte[] body;
        try {
            body = json.writeValueAsBytes(ProblemResponses.body(Problem.RATE_LIMITED,
                    "Too many requests from this client; try again in " + seconds + " s"));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(Problem.RATE_LIMITED.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
