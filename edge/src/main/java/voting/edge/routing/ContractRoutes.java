package voting.edge.routing;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import voting.edge.limits.EdgeLimits;

/**
 * Each path of the wire contract, sent to the side that owns it. Paths only, not methods: a wrong method is the
 * owning service's {@code 405}. Any other {@code /api} path finds no route and answers {@code 404 not-found}.
 */
@Configuration(proxyBeanMethods = false)
class ContractRoutes {

    private static final String ELECTION = "/api/v1/elections/*";
    private static final String ADMIN_ELECTION = "/api/v1/admin/elections/*";

    @Bean
    RouteLocator contractRouteLocator(RouteLocatorBuilder routes, Upstreams upstreams, EdgeLimits limits) {
        String command = upstreams.commandUrl().toString();
        String query = upstreams.queryUrl().toString();
        // The vote route comes first: routes are tried in order and it carries most of the traffic.
        return routes.routes()
                .route("votes", r -> r.path(ELECTION + "/votes")
                        .filters(f -> f.filters(limits.votes())).uri(command))
                .route("ballot-tokens", r -> r.path(ELECTION + "/ballot-tokens")
                        .filters(f -> f.filters(limits.ballotTokens())).uri(command))
                .route("admin-commands", r -> r.path("/api/v1/admin/elections", ADMIN_ELECTION + "/open",
                                ADMIN_ELECTION + "/close", ADMIN_ELECTION + "/credentials")
                        .filters(f -> f.filters(limits.anyBody())).uri(command))
                .route("reads", r -> r.path("/api/v1/elections", ELECTION, ELECTION + "/tally",
                                ELECTION + "/tally/stream", ELECTION + "/ballots",
                                ADMIN_ELECTION + "/stats", "/api/v1/admin/replay")
                        .filters(f -> f.filters(limits.anyBody())).uri(query))
                .build();
    }
}
