package voting.query.board;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import voting.query.Sql;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;

/** Reads the bulletin board a page at a time, each page as NDJSON lines (contract: Public bulletin board). */
@Component
class BulletinBoard {

    /** Lines with the position they end at; {@code count} tells whether the board may go on after them. */
    record Page(String ndjson, int count, long lastPosition) {
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final JdbcTemplate jdbc;

    BulletinBoard(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code size} lines of the election after {@code after}, in board order. */
    Page page(String electionId, long after, int size) {
        StringWriter out = new StringWriter();
        int[] count = {0};
        long[] last = {after};
        try (JsonGenerator line = JSON.createGenerator(out)) {
            jdbc.query("SELECT position, accepted_at, ballot_id, vote_hash, vote FROM board_entry "
                            + "WHERE election_id = ? AND position > ? ORDER BY position LIMIT ?",
                    rs -> {
                        try {
                            line.writeStartObject();
                            line.writeNumberField("position", rs.getLong("position"));
                            line.writeStringField("acceptedAt",
                                    DateTimeFormatter.ISO_INSTANT.format(Sql.instant(rs, "accepted_at")));
                            line.writeStringField("ballotId", rs.getString("ballot_id"));
                            line.writeStringField("voteHash", rs.getString("vote_hash"));
                            // Stored as the canonical JSON the voteHash was computed from: passed on byte for byte.
                            line.writeFieldName("vote");
                            line.writeRawValue(rs.getString("vote"));
                            line.writeEndObject();
                            line.writeRaw('\n');
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        count[0]++;
                        last[0] = rs.getLong("position");
                    },
                    electionId, after, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Page(out.toString(), count[0], last[0]);
    }
}
