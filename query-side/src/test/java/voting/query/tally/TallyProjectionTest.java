package voting.query.tally;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import voting.query.QueryTest;
import voting.query.TestEvents;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Votes become tally rows: every option counted, a revote moving its ballot, nothing ever counted twice. */
@QueryTest
class TallyProjectionTest {

    @Autowired
    EventStore eventStore;
    @Autowired
    Tallies tallies;
    @Autowired
    JdbcTemplate jdbc;

    TestEvents events;

    @BeforeEach
    void setUp() {
        events = new TestEvents(eventStore);
    }

    @Test
    void a_new_election_has_every_option_at_zero() {
        String electionId = events.createElection();

        Tally tally = awaitTally(electionId, 0);

        assertThat(tally.counts()).containsExactly(Map.entry("yes", 0L), Map.entry("no", 0L), Map.entry("maybe", 0L));
        assertThat(tally.total()).isZero();
        assertThat(tally.asOf()).isNotNull();
    }

    @Test
    void votes_are_counted_per_option_and_position_counts_them() {
        String electionId = events.createElection();
        events.vote(electionId, "yes");
        events.votes(electionId, List.of("yes", "no", "yes"));
        events.vote(electionId, "no");

        Tally tally = awaitTally(electionId, 5);

        assertThat(tally.counts()).containsExactly(Map.entry("yes", 3L), Map.entry("no", 2L), Map.entry("maybe", 0L));
        assertThat(tally.total()).isEqualTo(5);
    }

    @Test
    void a_revote_moves_its_ballot_to_the_new_option() {
        String electionId = events.createElection();
        String ballotId = events.vote(electionId, "yes");
        events.vote(electionId, "yes");
        events.revote(ballotId, electionId, "maybe");

        Tally tally = awaitTally(electionId, 3);

        assertThat(tally.counts()).containsExactly(Map.entry("yes", 1L), Map.entry("no", 0L), Map.entry("maybe", 1L));
        assertThat(tally.total()).isEqualTo(2);
        String counted = jdbc.queryForObject("SELECT option_id FROM tally_ballot WHERE ballot_id = ?", String.class,
                ballotId);
        assertThat(counted).isEqualTo("maybe");
    }

    @Test
    void a_vote_applied_again_or_older_than_the_counted_one_changes_nothing() {
        String electionId = events.createElection();
        awaitTally(electionId, 0);
        String ballotId = "direct-" + electionId;

        write(electionId, ballotId, "yes", 0);
        write(electionId, ballotId, "yes", 0);
        write(electionId, ballotId, "no", 1);
        write(electionId, ballotId, "yes", 0);

        Tally tally = tallies.find(electionId).orElseThrow();
        assertThat(tally.counts()).containsExactly(Map.entry("yes", 0L), Map.entry("no", 1L), Map.entry("maybe", 0L));
        assertThat(tally.position()).isEqualTo(2);
    }

    @Test
    void within_one_batch_a_ballot_counts_once_for_its_newest_vote() {
        String electionId = events.createElection();
        awaitTally(electionId, 0);
        TallyBatch batch = new TallyBatch();
        batch.add(electionId, "one-batch-" + electionId, "yes", 0, Instant.now());
        batch.add(electionId, "one-batch-" + electionId, "no", 1, Instant.now());
        batch.add(electionId, "one-batch-" + electionId, "no", 1, Instant.now());

        batch.write(jdbc);

        Tally tally = tallies.find(electionId).orElseThrow();
        assertThat(tally.counts()).containsExactly(Map.entry("yes", 0L), Map.entry("no", 1L), Map.entry("maybe", 0L));
        assertThat(tally.position()).isEqualTo(2);
    }

    private void write(String electionId, String ballotId, String option, long sequenceNumber) {
        TallyBatch batch = new TallyBatch();
        batch.add(electionId, ballotId, option, sequenceNumber, Instant.now());
        batch.write(jdbc);
    }

    private Tally awaitTally(String electionId, long position) {
        return await().atMost(Duration.ofSeconds(10))
                .until(() -> tallies.find(electionId).orElse(null),
                        tally -> tally != null && tally.position() == position);
    }
}
