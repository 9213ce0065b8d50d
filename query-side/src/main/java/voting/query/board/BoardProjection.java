package voting.query.board;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import voting.events.BallotEvents.VoteCast;
import voting.query.PerBatch;
import voting.query.ReadModelProcessor;

/**
 * Keeps the public bulletin board: one line per accepted vote, numbered in the order the votes were committed. A
 * line only names its VoteCast event; the vote itself is read from the event when the board is served
 * ({@link BulletinBoard}), so each vote is stored once. The board has no reset handler: it is append-only, and a
 * replay only adds the lines it lacks ({@link BoardBatch}).
 */
@Component
@ProcessingGroup(ReadModelProcessor.NAME)
class BoardProjection {

    private final JdbcTemplate jdbc;

    BoardProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The event's tracking token holds its global index in the event store (during a replay too). */
    @EventHandler
    void on(VoteCast event, TrackingToken token) {
        long eventIndex = token.position().orElseThrow(
                () -> new IllegalStateException("The VoteCast event of ballot " + event.ballotId() + " has no index"));
        PerBatch.state(BoardBatch.class.getName(), BoardBatch::new, batch -> batch.write(jdbc))
                .add(new BoardBatch.Line(event.electionId(), eventIndex));
    }
}
