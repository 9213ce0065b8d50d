package voting.query.tally;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import voting.query.election.ElectionCatalogue;
import voting.query.replay.ReadModelRebuild;
import voting.service.Blocking;
import voting.service.Problem;

import java.util.Arrays;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * {@code GET /api/v1/elections/{id}/tally} (JSON with ETag and a one-second cache) and
 * {@code GET /api/v1/elections/{id}/tally/stream} (SSE). Both answer 403 results-not-public while an election with
 * hidden live results is not closed.
 * <p>
 * Resuming a stream (a {@code Last-Event-ID} header or {@code ?lastEventId=}) needs nothing replayed: every event
 * carries the whole tally, and the current one is sent at once on every connection, so a client that comes back
 * has the newest tally immediately.
 */
@Configuration
class TallyRoutes {

    private static final String ONE_SECOND = "public, max-age=1";

    private final ElectionCatalogue catalogue;
    private final Tallies tallies;
    private final TallyStream stream;

    TallyRoutes(ElectionCatalogue catalogue, Tallies tallies, TallyStream stream) {
        this.catalogue = catalogue;
        this.tallies = tallies;
        this.stream = stream;
    }

    @Bean
    RouterFunction<ServerResponse> tallyRouter(ReadModelRebuild rebuild) {
        return route(GET("/api/v1/elections/{electionId}/tally"), this::tally)
                .andRoute(GET("/api/v1/elections/{electionId}/tally/stream"), this::stream)
                .filter(rebuild.unavailableWhileRebuilding());
    }

    private Mono<ServerResponse> tally(ServerRequest request) {
        return publicTally(request.pathVariable("electionId")).flatMap(tally -> {
            String etag = "\"" + tally.position() + "\"";
            if (matches(request.headers().firstHeader("If-None-Match"), etag)) {
                return ServerResponse.status(HttpStatus.NOT_MODIFIED).eTag(etag)
                        .header(HttpHeaders.CACHE_CONTROL, ONE_SECOND).build();
            }
            return ServerResponse.ok().eTag(etag).header(HttpHeaders.CACHE_CONTROL, ONE_SECOND).bodyValue(tally);
        });
    }

    private Mono<ServerResponse> stream(ServerRequest request) {
        return publicTally(request.pathVariable("electionId")).flatMap(current -> ServerResponse.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .cacheControl(CacheControl.noStore())
                .body(BodyInserters.fromServerSentEvents(stream.events(current))));
    }

    private Mono<Tally> publicTally(String electionId) {
        return Blocking.call(() -> {
            catalogue.requirePublicResults(electionId);
            return tallies.find(electionId)
                    .orElseThrow(() -> Problem.UNKNOWN_ELECTION.because("No election '" + electionId + "'"));
        });
    }

    /** If-None-Match: a list of entity tags (weak ones compare equal here) or {@code *}. */
    private static boolean matches(String ifNoneMatch, String etag) {
        return ifNoneMatch != null && Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals(etag) || tag.equals("*"));
    }
}
