package voting.query.election;

import voting.events.ElectionDetail;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import voting.events.ElectionOption;
import voting.events.Eligibility;
import voting.events.PublishedKey;
import voting.query.Sql;
import voting.service.Problem;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads the election catalogue. */
@Component
public class ElectionCatalogue {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final RowMapper<ElectionDetail> rows;

    ElectionCatalogue(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.rows = (rs, i) -> new ElectionDetail(
                rs.getString("election_id"),
                rs.getString("title"),
                rs.getString("description"),
                read(rs.getString("options"), new TypeReference<List<ElectionOption>>() { }),
                rs.getString("status"),
                Sql.instant(rs, "opens_at"),
                Sql.instant(rs, "closes_at"),
                Eligibility.valueOf(rs.getString("eligibility")),
                rs.getBoolean("live_results"),
                rs.getBoolean("revoting"),
                read(rs.getString("issuer_key"), new TypeReference<PublishedKey>() { }),
                read(rs.getString("receipt_key"), new TypeReference<PublishedKey>() { }));
    }

    public Optional<ElectionDetail> find(String electionId) {
        return jdbc.query("SELECT * FROM election_view WHERE election_id = ?", rows, electionId).stream().findFirst();
    }

    /** The election, or the contract's 404 unknown-election. */
    public ElectionDetail require(String electionId) {
        return find(electionId).orElseThrow(() -> Problem.UNKNOWN_ELECTION.because("No election '" + electionId + "'"));
    }

    /** The election, if its results may be shown now; otherwise 404 unknown-election or 403 results-not-public. */
    public ElectionDetail requirePublicResults(String electionId) {
        ElectionDetail election = require(electionId);
        if (!election.resultsPublicAt(Instant.now())) {
            throw Problem.RESULTS_NOT_PUBLIC.because(
                    "Election '" + electionId + "' shows its results once it is closed");
        }
        return election;
    }

    /** Every election, oldest first. */
    public List<ElectionDetail> all() {
        return jdbc.query("SELECT * FROM election_view ORDER BY created_at, election_id", rows);
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
