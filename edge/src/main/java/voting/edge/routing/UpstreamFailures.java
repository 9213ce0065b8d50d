package voting.edge.routing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import voting.service.Problem;
import voting.service.Rejected;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * An upstream that cannot be reached, drops the connection or does not answer in time becomes
 * {@code 503 unavailable} (retryable, with {@code Retry-After}): a vote resent later is answered idempotently.
 * Runs just before the shared problem handler, which writes the answer.
 */
@Component
@Order(-3)
class UpstreamFailures implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(UpstreamFailures.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        boolean routed = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR) != null;
        if (!routed || !isUpstreamFailure(failure)) {
            return Mono.error(failure);
        }
        log.warn("{} {} failed upstream: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                failure.toString());
        return Mono.error(Problem.UNAVAILABLE.because("The service behind this path is not reachable; try again shortly"));
    }

    private static boolean isUpstreamFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Rejected) {
                return false;
            }
            // Connection refused or reset, premature close, unknown host, connect or pool-acquire timeouts.
            if (cause instanceof IOException || cause instanceof TimeoutException) {
                return true;
            }
            // The gateway's response timeout.
            if (cause instanceof ResponseStatusException status
                    && status.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
                return true;
            }
        }
        return false;
    }
}
