package voting.query.board;

import org.springframework.jdbc.core.JdbcTemplate;
import voting.query.Sql;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The board lines of one batch, numbered on after the election's last line and inserted in one batch. A line
 * whose event (ballot id and sequence number) is already on the board was added before and is skipped.
 */
final class BoardBatch {

    record Line(String electionId, String ballotId, long sequenceNumber, Instant acceptedAt, String voteHash,
                String vote) {
    }

    private record Event(String ballotId, long sequenceNumber) {
    }

    private final List<Line> lines = new ArrayList<>();

    void add(Line line) {
        lines.add(line);
    }

    void write(JdbcTemplate jdbc) {
        Set<Event> onBoard = eventsOnBoard(jdbc);
        Map<String, Long> lastPositions = lastPositions(jdbc);
        List<Object[]> rows = new ArrayList<>();
        for (Line line : lines) {
            if (onBoard.contains(new Event(line.ballotId(), line.sequenceNumber()))) {
                continue;
            }
            long position = lastPositions.merge(line.electionId(), 1L, Long::sum);
            rows.add(new Object[]{line.electionId(), position, line.ballotId(), line.sequenceNumber(),
                    Sql.timestamp(line.acceptedAt()), line.voteHash(), line.vote()});
        }
        jdbc.batchUpdate("INSERT INTO board_entry (election_id, position, ballot_id, sequence_number, accepted_at, "
                + "vote_hash, vote) VALUES (?, ?, ?, ?, ?, ?, ?)", rows);
    }

    private Set<Event> eventsOnBoard(JdbcTemplate jdbc) {
        Set<Event> events = new HashSet<>();
        jdbc.query("SELECT ballot_id, sequence_number FROM board_entry WHERE ballot_id = ANY(?)",
                Sql.textArray(lines.stream().map(Line::ballotId).distinct().toList()),
                rs -> {
                    events.add(new Event(rs.getString("ballot_id"), rs.getLong("sequence_number")));
                });
        return events;
    }

    /** Each election's last position, read through the primary key's index (not a scan of the board). */
    private Map<String, Long> lastPositions(JdbcTemplate jdbc) {
        Map<String, Long> last = new HashMap<>();
        jdbc.query("SELECT e.id, (SELECT coalesce(max(b.position), 0) FROM board_entry b WHERE b.election_id = e.id) "
                        + "AS position FROM unnest(?::text[]) AS e(id)",
                Sql.textArray(lines.stream().map(Line::electionId).distinct().toList()),
                rs -> {
                    last.put(rs.getString("id"), rs.getLong("position"));
                });
        return last;
    }
}
