package voting.query.board;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import voting.crypto.CanonicalJson;
import voting.events.BallotEvents.VoteCast;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.format.DateTimeFormatter;

/**
 * Reads the bulletin board a page at a time, each page as NDJSON lines (contract: Public bulletin board). A line's
 * content comes from the VoteCast event it names, read in the same query.
 */
@Component
class BulletinBoard {

    /** Lines with the position they end at; {@code count} tells whether the board may go on after them. */
    record Page(String ndjson, int count, long lastPosition) {
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final JdbcTemplate jdbc;
    private final Serializer events;
    private final ObjectMapper json;

    BulletinBoard(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer events, ObjectMapper json) {
        this.jdbc = jdbc;
        this.events = events;
        this.json = json;
    }

    /** Up to {@code size} lines of the election after {@code after}, in board order. */
    Page page(String electionId, long after, int size) {
        StringWriter out = new StringWriter();
        int[] count = {0};
        long[] last = {after};
        try (JsonGenerator line = JSON.createGenerator(out)) {
            // Only a line whose event is a stored VoteCast is served: if the rows were tampered with, the board shows
            // a gap, which auditors see, rather than something else.
            jdbc.query("SELECT b.position, e.payload, e.payload_type, e.payload_revision FROM board_entry b "
                            + "JOIN domain_event_entry e ON e.global_index = b.event_index AND e.payload_type = ? "
                            + "WHERE b.election_id = ? AND b.position > ? ORDER BY b.position LIMIT ?",
                    rs -> {
                        VoteCast vote = voteCast(rs);
                        try {
                            line.writeStartObject();
                            line.writeNumberField("position", rs.getLong("position"));
                            line.writeStringField("acceptedAt", DateTimeFormatter.ISO_INSTANT.format(vote.acceptedAt()));
                            line.writeStringField("ballotId", vote.ballotId());
                            line.writeStringField("voteHash", vote.voteHash());
                            // The canonical JSON (RFC 8785) that the voteHash was computed from.
                            line.writeFieldName("vote");
                            line.writeRawValue(new String(CanonicalJson.of(json.valueToTree(vote.vote())),
                                    StandardCharsets.UTF_8));
                            line.writeEndObject();
                            line.writeRaw('\n');
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        count[0]++;
                        last[0] = rs.getLong("position");
                    },
                    VoteCast.class.getName(), electionId, after, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Page(out.toString(), count[0], last[0]);
    }

    private VoteCast voteCast(ResultSet row) throws SQLException {
        return events.deserialize(new SimpleSerializedObject<>(row.getBytes("payload"), byte[].class,
                row.getString("payload_type"), row.getString("payload_revision")));
    }
}
