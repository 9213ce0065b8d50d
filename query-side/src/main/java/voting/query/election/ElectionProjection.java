package voting.query.election;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import voting.events.ElectionEvents.ElectionClosed;
import voting.events.ElectionEvents.ElectionCreated;
import voting.events.ElectionEvents.ElectionOpened;
import voting.query.ReadModelProcessor;
import voting.query.Sql;

import java.time.Instant;

/** Keeps the election catalogue. Elections change rarely, so each event is written as it comes. */
@Component
@ProcessingGroup(ReadModelProcessor.NAME)
class ElectionProjection {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ElectionProjection(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(ElectionCreated event, @Timestamp Instant createdAt) {
        jdbc.update("INSERT INTO election_view (election_id, title, description, options, status, opens_at, closes_at, "
                        + "eligibility, live_results, revoting, issuer_key, receipt_key, created_at) "
                        + "VALUES (?, ?, ?, ?::jsonb, 'draft', ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?) "
                        + "ON CONFLICT (election_id) DO NOTHING",
                event.electionId(), event.title(), event.description() == null ? "" : event.description(),
                write(event.options()), Sql.timestamp(event.opensAt()), Sql.timestamp(event.closesAt()),
                event.eligibility().name(), event.liveResults(), event.revoting(),
                write(event.issuerKey()), write(event.receiptKey()), Sql.timestamp(createdAt));
    }

    @EventHandler
    void on(ElectionOpened event) {
        jdbc.update("UPDATE election_view SET status = 'open' WHERE election_id = ? AND status = 'draft'",
                event.electionId());
    }

    @EventHandler
    void on(ElectionClosed event) {
        jdbc.update("UPDATE election_view SET status = 'closed' WHERE election_id = ?", event.electionId());
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE election_view");
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
