package voting.edge.limits;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voting.service.Problem;
import voting.service.Rejected;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses bodies over {@code maxBytes} with {@code 413} without buffering them. A declared {@code Content-Length}
 * is checked before anything goes upstream (and bounds the body, the HTTP codec reads no further). A chunked body
 * is counted while it streams through, and the upstream request is aborted once it passes the limit.
 */
final class BodyLimitFilter implements GatewayFilter {

    private final long maxBytes;
    private final Problem tooLarge;

    BodyLimitFilter(long maxBytes, Problem tooLarge) {
        this.maxBytes = maxBytes;
        this.tooLarge = tooLarge;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > maxBytes) {
            return Mono.error(rejection());
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(new Counted(exchange.getRequest())).build());
    }

    private Rejected rejection() {
        return tooLarge.because("The body is larger than " + maxBytes + " bytes");
    }

    private final class Counted extends ServerHttpRequestDecorator {

        Counted(ServerHttpRequest delegate) {
            super(delegate);
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return Flux.defer(() -> {
                AtomicLong seen = new AtomicLong();
                return super.getBody().map(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > maxBytes) {
                        DataBufferUtils.release(buffer);
                        throw rejection();
                    }
                    return buffer;
                });
            });
        }
    }
}
