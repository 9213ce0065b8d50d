package voting.query.replay;

import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import voting.query.ReadModelProcessor;
import voting.service.Problem;
import voting.service.ProblemResponses;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rebuilds the read models from the event store: stop the processor, reset its tokens (its reset handlers empty
 * the elections and tallies in the same transaction), start it again. It then reads every event from the first.
 * Nothing is counted twice: the tallies start empty, and the board skips the lines it has.
 * <p>
 * Until the processor has passed the event that was newest at the reset, the read endpoints answer 503
 * unavailable (retryable) rather than show half-built tallies, whose positions would go backwards. Live streams
 * stay open; they only ever send newer tallies.
 * <p>
 * The processor's segments must all be claimable by this instance: with several query-side instances, stop the
 * others first.
 */
@Component
public class ReadModelRebuild {

    /** Done once every segment has applied the events up to {@code position}. */
    private record Target(long position, int segments) {
    }

    /** Set before anything is reset, so that no reader sees the emptied tables. */
    private static final Target STARTING = new Target(Long.MAX_VALUE, Integer.MAX_VALUE);

    private final ReadModelProcessor readModels;
    private final TokenStore tokens;
    private final JdbcTemplate jdbc;
    private final AtomicReference<Target> target = new AtomicReference<>();

    ReadModelRebuild(ReadModelProcessor readModels, TokenStore tokens, JdbcTemplate jdbc) {
        this.readModels = readModels;
        this.tokens = tokens;
        this.jdbc = jdbc;
    }

    /** Starts a rebuild and returns once the processor runs again; the rebuild goes on in the background. */
    public synchronized void start() {
        target.set(STARTING);
        StreamingEventProcessor processor = readModels.processor();
        try {
            processor.shutDown();
            long newest = jdbc.queryForObject(
                    "SELECT coalesce(max(global_index), -1) FROM domain_event_entry", Long.class);
            int segments = tokens.fetchSegments(ReadModelProcessor.NAME).length;
            processor.resetTokens();
            target.set(new Target(newest, segments));
        } catch (RuntimeException failed) {
            target.set(null);
            throw failed;
        } finally {
            processor.start();
        }
    }

    public boolean inProgress() {
        Target current = target.get();
        if (current == null) {
            return false;
        }
        Collection<EventTrackerStatus> segments = readModels.segments();
        boolean done = segments.size() >= current.segments()
                && segments.stream().noneMatch(EventTrackerStatus::isErrorState)
                && ReadModelProcessor.appliedUpTo(segments) >= current.position();
        if (done) {
            target.compareAndSet(current, null);
        }
        return !done;
    }

    /** For the read routes: 503 while a rebuild is in progress. */
    public HandlerFilterFunction<ServerResponse, ServerResponse> unavailableWhileRebuilding() {
        return (request, next) -> inProgress()
                ? ProblemResponses.respond(
                        Problem.UNAVAILABLE.because("The read models are being rebuilt; try again shortly"))
                : next.handle(request);
    }
}
