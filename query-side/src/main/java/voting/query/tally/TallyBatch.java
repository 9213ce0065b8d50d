package voting.query.tally;

import org.springframework.jdbc.core.JdbcTemplate;
import voting.query.Sql;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The votes of one batch, applied with one read of the ballots they touch and one statement per changed ballot,
 * (election, option) and election.
 * <p>
 * Each ballot counts for the option of its newest vote: a revote moves the ballot's count from its old option to
 * the new one. A vote whose ballot already counts one with the same or a later sequence number was applied before
 * (a redelivered event) and changes nothing, so no event is ever counted twice.
 */
final class TallyBatch {

    private record Choice(String electionId, String optionId, long sequenceNumber) {
    }

    private record Vote(String ballotId, Choice choice, Instant at) {
    }

    private record Option(String electionId, String optionId) {
    }

    private record Progress(long applied, Instant asOf) {
        Progress plus(Instant at) {
            return new Progress(applied + 1, at.isAfter(asOf) ? at : asOf);
        }
    }

    private final List<Vote> votes = new ArrayList<>();

    void add(String electionId, String ballotId, String optionId, long sequenceNumber, Instant at) {
        votes.add(new Vote(ballotId, new Choice(electionId, optionId, sequenceNumber), at));
    }

    void write(JdbcTemplate jdbc) {
        Map<String, Choice> counted = countedChoices(jdbc);
        Map<String, Choice> changedBallots = new LinkedHashMap<>();
        Map<Option, Long> deltas = new LinkedHashMap<>();
        Map<String, Progress> elections = new LinkedHashMap<>();
        for (Vote vote : votes) {
            Choice previous = counted.get(vote.ballotId());
            if (previous != null && previous.sequenceNumber() >= vote.choice().sequenceNumber()) {
                continue;
            }
            if (previous != null) {
                deltas.merge(new Option(previous.electionId(), previous.optionId()), -1L, Long::sum);
            }
            deltas.merge(new Option(vote.choice().electionId(), vote.choice().optionId()), 1L, Long::sum);
            elections.merge(vote.choice().electionId(), new Progress(1, vote.at()), (was, one) -> was.plus(vote.at()));
            counted.put(vote.ballotId(), vote.choice());
            changedBallots.put(vote.ballotId(), vote.choice());
        }
        saveBallots(jdbc, changedBallots);
        saveCounts(jdbc, deltas);
        saveProgress(jdbc, elections);
    }

    private Map<String, Choice> countedChoices(JdbcTemplate jdbc) {
        Map<String, Choice> counted = new HashMap<>();
        jdbc.query("SELECT ballot_id, election_id, option_id, sequence_number FROM tally_ballot "
                        + "WHERE ballot_id = ANY(?)",
                Sql.array("text", votes.stream().map(Vote::ballotId).distinct().toList()),
                rs -> {
                    counted.put(rs.getString("ballot_id"), new Choice(rs.getString("election_id"),
                            rs.getString("option_id"), rs.getLong("sequence_number")));
                });
        return counted;
    }

    private static void saveBallots(JdbcTemplate jdbc, Map<String, Choice> ballots) {
        List<Object[]> rows = new ArrayList<>();
        ballots.forEach((ballotId, choice) ->
                rows.add(new Object[]{ballotId, choice.electionId(), choice.optionId(), choice.sequenceNumber()}));
        jdbc.batchUpdate("INSERT INTO tally_ballot (ballot_id, election_id, option_id, sequence_number) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (ballot_id) DO UPDATE SET option_id = excluded.option_id, "
                + "sequence_number = excluded.sequence_number", rows);
    }

    private static void saveCounts(JdbcTemplate jdbc, Map<Option, Long> deltas) {
        List<Object[]> rows = new ArrayList<>();
        List<Option> options = new ArrayList<>();
        deltas.forEach((option, delta) -> {
            if (delta != 0) {
                rows.add(new Object[]{delta, option.electionId(), option.optionId()});
                options.add(option);
            }
        });
        int[] updated = jdbc.batchUpdate(
                "UPDATE tally_count SET count = count + ? WHERE election_id = ? AND option_id = ?", rows);
        requireAll(updated, i -> "No option '" + options.get(i).optionId() + "' in the tally of election '"
                + options.get(i).electionId() + "'");
    }

    private static void saveProgress(JdbcTemplate jdbc, Map<String, Progress> elections) {
        List<Object[]> rows = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        elections.forEach((electionId, progress) -> {
            rows.add(new Object[]{progress.applied(), Sql.timestamp(progress.asOf()), electionId});
            ids.add(electionId);
        });
        int[] updated = jdbc.batchUpdate(
                "UPDATE tally SET position = position + ?, as_of = greatest(as_of, ?) WHERE election_id = ?", rows);
        requireAll(updated, i -> "No tally for election '" + ids.get(i) + "'");
    }

    /**
     * A vote for an option or election the tally does not know would be lost without a trace: fail the batch
     * instead, so that the processor stops and says why rather than publish a wrong count.
     */
    private static void requireAll(int[] updated, IntFunction<String> missing) {
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
                throw new IllegalStateException(missing.apply(i));
            }
        }
    }
}
