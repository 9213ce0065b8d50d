package voting.query.board;

import org.springframework.jdbc.core.JdbcTemplate;
import voting.query.Sql;

import java.util.ArrayList;
import java.util.Collection;
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

    /** A vote to put on the board: its VoteCast event, the ballot's event with this sequence number. */
    record Line(String electionId, String ballotId, long sequenceNumber) {
    }

    private final List<Line> lines = new ArrayList<>();

    void add(Line line) {
        lines.add(line);
    }

    void write(JdbcTemplate jdbc) {
        Map<Line, Long> eventIndexes = eventIndexes(jdbc);
        Set<Long> onBoard = eventsOnBoard(jdbc, eventIndexes.values());
        Map<String, Long> lastPositions = lastPositions(jdbc);
        List<Object[]> rows = new ArrayList<>();
        for (Line line : lines) {
            Long eventIndex = eventIndexes.get(line);
            if (eventIndex == null) {
                throw new IllegalStateException("No event " + line.sequenceNumber() + " of ballot " + line.ballotId());
            }
            if (!onBoard.add(eventIndex)) {
                continue;
            }
            long position = lastPositions.merge(line.electionId(), 1L, Long::sum);
            rows.add(new Object[]{line.electionId(), position, eventIndex});
        }
        jdbc.batchUpdate("INSERT INTO board_entry (election_id, position, event_index) VALUES (?, ?, ?)", rows);
    }

    /** Each line's event's global index, found through the event store's (aggregate, sequence number) key. */
    private Map<Line, Long> eventIndexes(JdbcTemplate jdbc) {
        Map<String, String> elections = new HashMap<>();
        lines.forEach(line -> elections.put(line.ballotId(), line.electionId()));
        Map<Line, Long> indexes = new HashMap<>();
        jdbc.query("SELECT e.aggregate_identifier, e.sequence_number, e.global_index "
                        + "FROM unnest(?::text[], ?::bigint[]) AS l(ballot, seq) "
                        + "JOIN domain_event_entry e ON e.aggregate_identifier = l.ballot AND e.sequence_number = l.seq",
                statement -> {
                    statement.setArray(1, statement.getConnection().createArrayOf("text",
                            lines.stream().map(Line::ballotId).toArray()));
                    statement.setArray(2, statement.getConnection().createArrayOf("bigint",
                            lines.stream().map(Line::sequenceNumber).toArray()));
                },
                rs -> {
                    String ballotId = rs.getString("aggregate_identifier");
                    indexes.put(new Line(elections.get(ballotId), ballotId, rs.getLong("sequence_number")),
                            rs.getLong("global_index"));
                });
        return indexes;
    }

    private Set<Long> eventsOnBoard(JdbcTemplate jdbc, Collection<Long> eventIndexes) {
        Set<Long> events = new HashSet<>();
        jdbc.query("SELECT event_index FROM board_entry WHERE event_index = ANY(?)",
                Sql.array("bigint", eventIndexes),
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
