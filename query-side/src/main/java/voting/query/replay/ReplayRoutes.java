package voting.query.replay;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import voting.service.AdminToken;
import voting.service.Blocking;

import java.util.Map;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * Admin: {@code POST /api/v1/admin/replay} rebuilds every read model from the event store and answers
 * {@code 202 {"rebuilding": true}} once the rebuild runs; {@code GET /api/v1/admin/replay} answers
 * {@code {"rebuilding": bool}}.
 */
@Configuration
class ReplayRoutes {

    private final ReadModelRebuild rebuild;

    ReplayRoutes(ReadModelRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @Bean
    RouterFunction<ServerResponse> replayRouter(AdminToken adminToken) {
        return route(POST("/api/v1/admin/replay"), this::start)
                .andRoute(GET("/api/v1/admin/replay"), this::status)
                .filter(adminToken.required());
    }

    private Mono<ServerResponse> start(ServerRequest request) {
        return Blocking.call(() -> {
                    rebuild.start();
                    return rebuild.inProgress();
                })
                .flatMap(rebuilding -> ServerResponse.status(HttpStatus.ACCEPTED)
                        .bodyValue(Map.of("rebuilding", rebuilding)));
    }

    private Mono<ServerResponse> status(ServerRequest request) {
        return ServerResponse.ok().bodyValue(Map.of("rebuilding", rebuild.inProgress()));
    }
}
