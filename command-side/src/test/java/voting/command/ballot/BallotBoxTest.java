package voting.command.ballot;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import voting.command.IntakeTest;
import voting.events.BallotCommands.CastVote;
import voting.events.SignedVote;
import voting.service.Problem;
import voting.service.Rejected;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Votes cast together share transactions, yet each gets its own answer: new votes are stored once, second votes
 * are refused, resends are replays, and a key reused across ballots fails only the vote that reused it.
 */
@IntakeTest
class BallotBoxTest {

    @Autowired
    BallotBox ballotBox;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CommandBus commandBus;
    @Autowired
    TransactionManager transactions;
    @Autowired
    Receipts receipts;

    private final String electionId = "box-" + UUID.randomUUID();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void each_vote_of_a_shared_batch_gets_its_own_answer() {
        List<CastVote> firstVotes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            firstVotes.add(castVote("ballot-" + UUID.randomUUID(), UUID.randomUUID().toString(), "yes"));
        }
        List<CastVote> secondVotes = firstVotes.subList(0, 20).stream()
                .map(first -> castVote(first.ballotId(), UUID.randomUUID().toString(), "no")).toList();
        List<CastVote> resends = firstVotes.subList(20, 30);
        CastVote keyThief = castVote("ballot-" + UUID.randomUUID(), firstVotes.get(40).vote().idempotencyKey(), "no");

        List<CompletableFuture<VoteAcceptance>> first = firstVotes.stream().map(ballotBox::cast).toList();
        List<CompletableFuture<VoteAcceptance>> second = secondVotes.stream().map(ballotBox::cast).toList();
        List<CompletableFuture<VoteAcceptance>> again = resends.stream().map(ballotBox::cast).toList();
        CompletableFuture<VoteAcceptance> stolen = ballotBox.cast(keyThief);

        // Within one ballot, votes are handled in the order they came: the first vote wins everywhere.
        assertThat(first).allSatisfy(answer -> assertThat(answer.join().replayed()).isFalse());
        assertThat(second).allSatisfy(answer -> assertThat(problemOf(answer)).isEqualTo(Problem.ALREADY_VOTED));
        assertThat(again).allSatisfy(answer -> assertThat(answer.join().replayed()).isTrue());
        for (int i = 0; i < again.size(); i++) {
            assertThat(again.get(i).join()).as("the resend's answer is the first answer, replayed")
                    .isEqualTo(first.get(20 + i).join().asReplay());
        }
        assertThat(problemOf(stolen)).isEqualTo(Problem.IDEMPOTENCY_KEY_REUSED);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM vote_receipt WHERE election_id = ?", Integer.class, electionId))
                .isEqualTo(300);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT aggregate_identifier) FROM domain_event_entry "
                + "WHERE convert_from(payload, 'UTF8') LIKE ?", Integer.class, "%" + electionId + "%")).isEqualTo(300);
    }

    @Test
    void two_instances_casting_first_votes_on_the_same_ballots_store_one_vote_per_ballot() throws Exception {
        // Another command-side instance: its own writers and queues, the same database.
        BallotBox otherInstance = new BallotBox(commandBus, transactions, jdbc, receipts, 1, 200, 0);
        try {
            List<CompletableFuture<VoteAcceptance>> here = new ArrayList<>();
            List<CompletableFuture<VoteAcceptance>> there = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String ballotId = "ballot-" + UUID.randomUUID();
                here.add(ballotBox.cast(castVote(ballotId, UUID.randomUUID().toString(), "yes")));
                there.add(otherInstance.cast(castVote(ballotId, UUID.randomUUID().toString(), "no")));
            }
            for (int i = 0; i < 100; i++) {
                List<Problem> answers = Arrays.asList(problemOrAccepted(here.get(i)), problemOrAccepted(there.get(i)));
                assertThat(answers).as("ballot %d", i).containsExactlyInAnyOrder(null, Problem.ALREADY_VOTED);
            }
        } finally {
            otherInstance.close();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM vote_receipt WHERE election_id = ?", Integer.class, electionId))
                .isEqualTo(100);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE ?",
                Integer.class, "%" + electionId + "%")).isEqualTo(100);
    }

    @Test
    void votes_trickling_in_within_the_batch_window_share_one_commit() throws Exception {
        BallotBox windowed = new BallotBox(commandBus, transactions, jdbc, receipts, 1, 100, 500);
        try {
            List<CompletableFuture<VoteAcceptance>> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(windowed.cast(castVote("ballot-" + UUID.randomUUID(), UUID.randomUUID().toString(), "yes")));
                Thread.sleep(20);
            }
            answers.forEach(CompletableFuture::join);
        } finally {
            windowed.close();
        }
        assertThat(transactionsThatStoredReceipts()).isEqualTo(1);
    }

    @Test
    void without_a_batch_window_a_vote_arriving_at_an_idle_writer_commits_at_once() throws Exception {
        BallotBox unwindowed = new BallotBox(commandBus, transactions, jdbc, receipts, 1, 100, 0);
        try {
            for (int i = 0; i < 3; i++) {
                unwindowed.cast(castVote("ballot-" + UUID.randomUUID(), UUID.randomUUID().toString(), "yes")).join();
            }
        } finally {
            unwindowed.close();
        }
        assertThat(transactionsThatStoredReceipts()).isEqualTo(3);
    }

    @Test
    void a_full_batch_does_not_wait_for_its_window() throws Exception {
        BallotBox windowed = new BallotBox(commandBus, transactions, jdbc, receipts, 1, 3, 60_000);
        try {
            List<CompletableFuture<VoteAcceptance>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(windowed.cast(castVote("ballot-" + UUID.randomUUID(), UUID.randomUUID().toString(), "yes")));
                Thread.sleep(50); // the writer has taken the first vote and waits for more
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } finally {
            windowed.close();
        }
    }

    /** Rows written by one transaction share its id (xmin). */
    private int transactionsThatStoredReceipts() {
        return jdbc.queryForObject("SELECT count(DISTINCT xmin::text) FROM vote_receipt WHERE election_id = ?",
                Integer.class, electionId);
    }

    /** null for an accepted vote, else the problem it was rejected with. */
    private static Problem problemOrAccepted(CompletableFuture<VoteAcceptance> answer) {
        return answer.handle((accepted, failure) -> failure == null ? null : problemOf(answer)).join();
    }

    private static Problem problemOf(CompletableFuture<VoteAcceptance> answer) {
        try {
            answer.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause() instanceof Rejected rejected ? rejected.problem() : null;
        }
    }

    private CastVote castVote(String ballotId, String idempotencyKey, String choice) {
        SignedVote vote = new SignedVote(1, electionId, UUID.randomUUID().toString(), choice, now.toString(),
                idempotencyKey, new SignedVote.BallotToken("kid", "Ed25519", "key", "prefix", "signature"), "signature");
        return new CastVote(ballotId, vote, "hash-" + idempotencyKey + choice, now, "open", false, now, "receipt-kid");
    }
}
