package voting.query.election;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import voting.query.replay.ReadModelRebuild;
import voting.service.Blocking;

import java.time.Instant;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/** {@code GET /api/v1/elections} and {@code GET /api/v1/elections/{id}}. */
@Configuration
class ElectionRoutes {

    private final ElectionCatalogue catalogue;

    ElectionRoutes(ElectionCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Bean
    RouterFunction<ServerResponse> electionRouter(ReadModelRebuild rebuild) {
        return route(GET("/api/v1/elections"), this::list)
                .andRoute(GET("/api/v1/elections/{electionId}"), this::detail)
                .filter(rebuild.unavailableWhileRebuilding());
    }

    private Mono<ServerResponse> list(ServerRequest request) {
        return Blocking.call(catalogue::all)
                .flatMap(elections -> {
                    Instant now = Instant.now();
                    return ServerResponse.ok().bodyValue(elections.stream().map(e -> e.summaryJson(now)).toList());
                });
    }

    private Mono<ServerResponse> detail(ServerRequest request) {
        return Blocking.call(() -> catalogue.require(request.pathVariable("electionId")))
                .flatMap(election -> ServerResponse.ok().bodyValue(election.detailJson(Instant.now())));
    }
}
