package voting.query.board;

import org.springframework.jdbc.core.JdbcTemplate;
import voting.query.Sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The board lines of one batch, numbered on after the election's last line and inserted in one batch. A line
 * whose event is already on the board was added before and is skipped.
 */
final class BoardBatch {

    /** A line names its VoteCast event by the event's global index in the event store. */
    record Line(String electionId, long eventIndex) {
    }

    private final List<Line> lines = new ArrayList<>();

    void add(Line line) {
        lines.add(line);
    }

    void write(JdbcTemplate jdbc) {
        Set<Long> onBoard = eventsOnBoard(jdbc);
        Map<String, Long> lastPositions = lastPositions(jdbc);
        List<Object[]> rows = new ArrayList<>();
        for (Line line : lines) {
            if (onBoard.contains(line.eventIndex())) {
                continue;
            }
            long position = lastPositions.merge(line.electionId(), 1L, Long::sum);
            rows.add(new Object[]{line.electionId(), position, line.eventIndex()});
        }
        jdbc.batchUpdate("INSERT INTO board_entry (election_id, position, event_index) VALUES (?, ?, ?)", rows);
    }

    private Set<Long> eventsOnBoard(JdbcTemplate jdbc) {
        Set<Long> events = new HashSet<>();
        jdbc.query("SELECT event_index FROM board_entry WHERE event_index = ANY(?)",
                Sql.array("bigint", lines.stream().map(Line::eventIndex).toList()),
                rs -> {
                    events.add(rs.getLong("event_index"));
                });
        return events;
    }

    /** Each election's last position, read through the primary key's index (not a scan of the board). */
    private Map<String, Long> lastPositions(JdbcTemplate jdbc) {
        Map<String, Long> last = new HashMap<>();
        jdbc.query("SELECT e.id, (SELECT coalesce(max(b.position), 0) FROM board_entry b WHERE b.election_id = e.id) "
                        + "AS position FROM unnest(?::text[]) AS e(id)",
                Sql.array("text", lines.stream().map(Line::electionId).distinct().toList()),
                rs -> {
                    last.put(rs.getString("id"), rs.getLong("position"));
                });
        return last;
    }
}
