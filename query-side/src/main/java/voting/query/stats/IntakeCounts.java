package voting.query.stats;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/** What vote intake counted for an election ({@code intake_count}, which the command side's instances fill). */
@Component
class IntakeCounts {

    private final JdbcTemplate jdbc;

    IntakeCounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Outcome ('accepted', 'replayed', 'token-issued', 'rejected:<slug>') to its count over all instances. */
    Map<String, Long> byOutcome(String electionId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("SELECT outcome, sum(count) AS count FROM intake_count WHERE election_id = ? "
                        + "GROUP BY outcome ORDER BY outcome",
                rs -> {
                    counts.put(rs.getString("outcome"), rs.getLong("count"));
                },
                electionId);
        return counts;
    }
}
