package voting.query.board;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voting.query.election.ElectionCatalogue;
import voting.query.replay.ReadModelRebuild;
import voting.service.Blocking;
import voting.service.Problem;

import java.nio.charset.StandardCharsets;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * {@code GET /api/v1/elections/{id}/ballots?after=<position>}: the board as NDJSON, streamed a page at a time, so
 * a board of any size costs one page of memory. The next page is read only when the client has taken the last.
 * <p>
 * The board shows every vote's choice, so it follows the tally's rule: while an election with hidden live
 * results is not closed, it answers 403 results-not-public.
 */
@Configuration
class BoardRoutes {

    private static final MediaType NDJSON = MediaType.APPLICATION_NDJSON;
    private static final int PAGE = 500;

    private final ElectionCatalogue catalogue;
    private final BulletinBoard board;

    BoardRoutes(ElectionCatalogue catalogue, BulletinBoard board) {
        this.catalogue = catalogue;
        this.board = board;
    }

    @Bean
    RouterFunction<ServerResponse> boardRouter(ReadModelRebuild rebuild) {
        return route(GET("/api/v1/elections/{electionId}/ballots"), this::ballots)
                .filter(rebuild.unavailableWhileRebuilding());
    }

    private Mono<ServerResponse> ballots(ServerRequest request) {
        String electionId = request.pathVariable("electionId");
        return Mono.fromCallable(() -> after(request))
                .flatMap(after -> Blocking.call(() -> catalogue.requirePublicResults(electionId))
                        .flatMap(election -> ServerResponse.ok().contentType(NDJSON)
                                .body(BodyInserters.fromDataBuffers(pagesAfter(electionId, after)))));
    }

    private Flux<DataBuffer> pagesAfter(String electionId, long after) {
        return Blocking.call(() -> board.page(electionId, after, PAGE)).flatMapMany(page -> {
            byte[] ndjson = page.ndjson().getBytes(StandardCharsets.UTF_8);
            Flux<DataBuffer> lines = page.count() == 0 ? Flux.empty()
                    : Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(ndjson));
            return page.count() < PAGE ? lines
                    : lines.concatWith(Flux.defer(() -> pagesAfter(electionId, page.lastPosition())));
        });
    }

    private static long after(ServerRequest request) {
        String after = request.queryParam("after").orElse("0");
        try {
            long position = Long.parseLong(after);
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Problem.INVALID_REQUEST.because("after must be a position: a whole number, 0 or more");
    }
}
