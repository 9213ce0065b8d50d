package voting.query.board;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
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

    /**
     * The line names its event by ballot and sequence number; the batch finds the events' global indexes. (A
     * tracking token's position is the highest index seen, not this event's: an event committed late, into a gap,
     * would get the index of a later one.)
     */
    @EventHandler
    void on(VoteCast event, @SequenceNumber long sequenceNumber) {
        PerBatch.state(BoardBatch.class.getName(), BoardBatch::new, batch -> batch.write(jdbc))
                .add(new BoardBatch.Line(event.electionId(), event.ballotId(), sequenceNumber));
    }
}
