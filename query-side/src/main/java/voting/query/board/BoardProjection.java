package voting.query.board;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import voting.crypto.CanonicalJson;
import voting.events.BallotEvents.VoteCast;
import voting.query.PerBatch;
import voting.query.ReadModelProcessor;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the public bulletin board: one line per accepted vote, with the signed vote in canonical JSON so that an
 * auditor can hash it to the voteHash and check its signature. The board has no reset handler: it is
 * append-only, and a replay only adds the lines it lacks ({@link BoardBatch}).
 */
@Component
@ProcessingGroup(ReadModelProcessor.NAME)
class BoardProjection {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    BoardProjection(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(VoteCast event, @SequenceNumber long sequenceNumber) {
        String vote = new String(CanonicalJson.of(json.valueToTree(event.vote())), StandardCharsets.UTF_8);
        PerBatch.state(BoardBatch.class.getName(), BoardBatch::new, batch -> batch.write(jdbc))
                .add(new BoardBatch.Line(event.electionId(), event.ballotId(), sequenceNumber, event.acceptedAt(),
                        event.voteHash(), vote));
    }
}
