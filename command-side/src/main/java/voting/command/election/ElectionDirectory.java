package voting.command.election;

import voting.events.ElectionDetail;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import voting.events.ElectionEvents.ElectionClosed;
import voting.events.ElectionEvents.ElectionCreated;
import voting.events.ElectionEvents.ElectionOpened;
import voting.events.ElectionOption;
import voting.events.Eligibility;
import voting.events.PublishedKey;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The elections, for vote intake and the admin API. Written by a subscribing handler, so the table changes in the
 * transaction that stores the election's event; read from memory, so a vote costs no election read.
 * Other instances' changes arrive with the periodic refresh.
 */
@Component
@ProcessingGroup(ElectionDirectory.PROCESSING_GROUP)
public class ElectionDirectory {

    static final String PROCESSING_GROUP = "election-directory";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final RowMapper<ElectionDetail> rows;
    private volatile Map<String, ElectionDetail> elections = new ConcurrentHashMap<>();

    ElectionDirectory(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.rows = (rs, i) -> new ElectionDetail(
                rs.getString("election_id"),
                rs.getString("title"),
                rs.getString("description"),
                read(rs.getString("options"), new TypeReference<List<ElectionOption>>() { }),
                rs.getString("status"),
                instant(rs.getTimestamp("opens_at")),
                instant(rs.getTimestamp("closes_at")),
                Eligibility.valueOf(rs.getString("eligibility")),
                rs.getBoolean("live_results"),
                rs.getBoolean("revoting"),
                read(rs.getString("issuer_key"), new TypeReference<PublishedKey>() { }),
                read(rs.getString("receipt_key"), new TypeReference<PublishedKey>() { }));
    }

    public Optional<ElectionDetail> find(String electionId) {
        ElectionDetail known = elections.get(electionId);
        return known != null ? Optional.of(known) : reload(electionId);
    }

    /** Whether this instance knows the election, without asking the database. */
    public boolean isKnown(String electionId) {
        return elections.containsKey(electionId);
    }

    public Collection<ElectionDetail> all() {
        return elections.values();
    }

    @Scheduled(fixedDelayString = "${voting.elections.refresh-ms:1000}")
    public void refresh() {
        elections = new ConcurrentHashMap<>(jdbc.query("SELECT * FROM election", rows).stream()
                .collect(Collectors.toMap(ElectionDetail::id, Function.identity())));
    }

    private Optional<ElectionDetail> reload(String electionId) {
        Optional<ElectionDetail> loaded = jdbc.query("SELECT * FROM election WHERE election_id = ?", rows, electionId)
                .stream().findFirst();
        loaded.ifPresent(record -> elections.put(record.id(), record));
        return loaded;
    }

    @EventHandler
    void on(ElectionCreated event) {
        jdbc.update("INSERT INTO election (election_id, title, description, options, status, opens_at, closes_at, "
                        + "eligibility, live_results, revoting, issuer_key, receipt_key) "
                        + "VALUES (?, ?, ?, ?::jsonb, 'draft', ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)",
                event.electionId(), event.title(), event.description() == null ? "" : event.description(),
                write(event.options()), timestamp(event.opensAt()), timestamp(event.closesAt()),
                event.eligibility().name(), event.liveResults(), event.revoting(),
                write(event.issuerKey()), write(event.receiptKey()));
        reloadAfterCommit(event.electionId());
    }

    @EventHandler
    void on(ElectionOpened event) {
        jdbc.update("UPDATE election SET status = 'open' WHERE election_id = ?", event.electionId());
        reloadAfterCommit(event.electionId());
    }

    @EventHandler
    void on(ElectionClosed event) {
        jdbc.update("UPDATE election SET status = 'closed' WHERE election_id = ?", event.electionId());
        reloadAfterCommit(event.electionId());
    }

    private void reloadAfterCommit(String electionId) {
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.afterCommit(u -> reload(electionId)));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
