package voting.query.stats;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import voting.query.election.ElectionCatalogue;
import voting.query.replay.ReadModelRebuild;
import voting.service.AdminToken;
import voting.service.Blocking;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * Admin: {@code GET /api/v1/admin/elections/{id}/stats} →
 * {@code {"accepted", "replayed", "rejected": {"<slug>": n}, "tokensIssued", "projectionLagMs"}}.
 * Rejections leave no events, so the intake counts come from the command side's {@code intake_count} table.
 */
@Configuration
class StatsRoutes {

    private static final String REJECTED = "rejected:";

    private final ElectionCatalogue catalogue;
    private final IntakeCounts counts;
    private final ProjectionLag lag;

    StatsRoutes(ElectionCatalogue catalogue, IntakeCounts counts, ProjectionLag lag) {
        this.catalogue = catalogue;
        this.counts = counts;
        this.lag = lag;
    }

    @Bean
    RouterFunction<ServerResponse> statsRouter(AdminToken adminToken, ReadModelRebuild rebuild) {
        return route(GET("/api/v1/admin/elections/{electionId}/stats"), this::stats)
                .filter(rebuild.unavailableWhileRebuilding())
                .filter(adminToken.required());
    }

    private Mono<ServerResponse> stats(ServerRequest request) {
        String electionId = request.pathVariable("electionId");
        return Blocking.call(() -> {
            catalogue.require(electionId);
            return stats(counts.byOutcome(electionId), lag.millis());
        }).flatMap(stats -> ServerResponse.ok().bodyValue(stats));
    }

    private static Map<String, Object> stats(Map<String, Long> byOutcome, long lagMillis) {
        Map<String, Long> rejected = new LinkedHashMap<>();
        byOutcome.forEach((outcome, count) -> {
            if (outcome.startsWith(REJECTED)) {
                rejected.put(outcome.substring(REJECTED.length()), count);
            }
        });
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("accepted", byOutcome.getOrDefault("accepted", 0L));
        stats.put("replayed", byOutcome.getOrDefault("replayed", 0L));
        stats.put("rejected", rejected);
        stats.put("tokensIssued", byOutcome.getOrDefault("token-issued", 0L));
        stats.put("projectionLagMs", lagMillis);
        return stats;
    }
}
