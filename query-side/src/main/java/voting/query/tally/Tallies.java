package voting.query.tally;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import voting.query.Sql;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads tallies. One statement per read, so counts and position always come from one committed state. */
@Component
class Tallies {

    private record Head(long position, Instant asOf, Map<String, Long> counts) {
    }

    private final JdbcTemplate jdbc;

    Tallies(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Tally> find(String electionId) {
        return findAll(List.of(electionId)).stream().findFirst();
    }

    List<Tally> findAll(Collection<String> electionIds) {
        Map<String, Head> heads = new LinkedHashMap<>();
        jdbc.query("SELECT t.election_id, t.position, t.as_of, c.option_id, c.count FROM tally t "
                        + "JOIN tally_count c ON c.election_id = t.election_id "
                        + "WHERE t.election_id = ANY(?) ORDER BY t.election_id, c.ordinal",
                Sql.array("text", electionIds),
                rs -> {
                    Head head = heads.get(rs.getString("election_id"));
                    if (head == null) {
                        head = new Head(rs.getLong("position"), Sql.instant(rs, "as_of"), new LinkedHashMap<>());
                        heads.put(rs.getString("election_id"), head);
                    }
                    head.counts().put(rs.getString("option_id"), rs.getLong("count"));
                });
        return heads.entrySet().stream().map(entry -> {
            Head head = entry.getValue();
            long total = head.counts().values().stream().mapToLong(Long::longValue).sum();
            return new Tally(entry.getKey(), head.position(), Collections.unmodifiableMap(head.counts()), total,
                    head.asOf());
        }).toList();
    }
}
