package voting.query.tally;

import java.time.Instant;
import java.util.Map;

/**
 * The contract's tally. {@code position} counts the votes applied (revotes included): it grows with every change,
 * so it names one state of the tally (its ETag and SSE id), and it equals the number of the election's lines on
 * the bulletin board. {@code asOf} is the time of the newest event applied.
 */
public record Tally(String electionId, long position, Map<String, Long> counts, long total, Instant asOf) {
}
