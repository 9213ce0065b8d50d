package voting.query.tally;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import voting.events.BallotEvents.VoteCast;
import voting.events.ElectionEvents.ElectionCreated;
import voting.events.ElectionOption;
import voting.query.PerBatch;
import voting.query.ReadModelProcessor;
import voting.query.Sql;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the tallies: every option at 0 when an election is created, then the votes of each batch applied in one go
 * ({@link TallyBatch}). A replay empties the tallies and counts every vote again.
 */
@Component
@ProcessingGroup(ReadModelProcessor.NAME)
class TallyProjection {

    private final JdbcTemplate jdbc;

    TallyProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ElectionCreated event, @Timestamp Instant createdAt) {
        jdbc.update("INSERT INTO tally (election_id, position, as_of) VALUES (?, 0, ?) "
                + "ON CONFLICT (election_id) DO NOTHING", event.electionId(), Sql.timestamp(createdAt));
        List<Object[]> options = new ArrayList<>();
        for (int i = 0; i < event.options().size(); i++) {
            ElectionOption option = event.options().get(i);
            options.add(new Object[]{event.electionId(), option.id(), i});
        }
        jdbc.batchUpdate("INSERT INTO tally_count (election_id, option_id, ordinal, count) VALUES (?, ?, ?, 0) "
                + "ON CONFLICT (election_id, option_id) DO NOTHING", options);
    }

    @EventHandler
    void on(VoteCast event, @SequenceNumber long sequenceNumber, @Timestamp Instant at) {
        PerBatch.state(TallyBatch.class.getName(), TallyBatch::new, batch -> batch.write(jdbc))
                .add(event.electionId(), event.ballotId(), event.vote().choice(), sequenceNumber, at);
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE tally, tally_count, tally_ballot");
    }
}
