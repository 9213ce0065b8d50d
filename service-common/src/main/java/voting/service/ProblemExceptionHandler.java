package voting.service;

import org.springframework.core.annotation.Order;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

import java.util.List;

/** The last line: whatever escapes a handler (unknown path, wrong method, a bug) still answers as a problem. */

@Order(-2)
public class ProblemExceptionHandler implements WebExceptionHandler {

    private final ServerResponse.Context context;

    public ProblemExceptionHandler() {
        HandlerStrategies strategies = HandlerStrategies.withDefaults();
        this.context = new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return strategies.messageWriters();
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return List.of();
            }
        };
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        return ProblemResponses.respond(failure).flatMap(response -> response.writeTo(exchange, context));
    }
}
