package voting.command.ballot;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import voting.command.CommandTargets;
import voting.service.Problem;
import voting.events.BallotCommands.CastFirstVote;
import voting.events.BallotCommands.CastVote;
import voting.events.BallotEvents.VoteCast;
import voting.events.SignedVote;

import java.time.Instant;

import static voting.command.RejectedWith.problem;

/** The ballot's rules, as the contract's vote table states them. */
class BallotTest {

    private static final String BALLOT = "ballot-1";
    private static final Instant ACCEPTED = Instant.parse("2026-11-22T10:00:00.123Z");

    private AggregateTestFixture<Ballot> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Ballot.class);
        fixture.registerCommandTargetResolver(new CommandTargets());
    }

    @Test
    void a_first_vote_is_cast() {
        CastVote vote = castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", false);
        fixture.givenNoPriorActivity()
                .when(vote)
                .expectEvents(voteCast(vote))
                .expectResultMessagePayloadMatching(acceptance("hash-1", false));
    }

    @Test
    void a_first_vote_is_cast_without_reading_the_ballot() {
        CastVote vote = castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", false);
        fixture.givenNoPriorActivity()
                .when(new CastFirstVote(vote))
                .expectEvents(voteCast(vote))
                .expectResultMessagePayloadMatching(acceptance("hash-1", false));
    }

    @Test
    void a_first_vote_follows_the_same_rules() {
        fixture.givenNoPriorActivity()
                .when(new CastFirstVote(inElection("closed", castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", false))))
                .expectNoEvents()
                .expectException(problem(Problem.ELECTION_CLOSED));
    }

    @Test
    void the_same_vote_again_is_answered_with_its_acceptance_and_changes_nothing() {
        CastVote vote = castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", false);
        fixture.given(voteCast(vote))
                .when(vote)
                .expectNoEvents()
                .expectResultMessagePayloadMatching(acceptance("hash-1", true));
    }

    @Test
    void the_same_vote_with_other_signature_bytes_is_the_same_vote() {
        // ES256 signatures are malleable: a resend may carry (r, n-s) for the very same vote.
        CastVote vote = castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", false);
        fixture.given(voteCast(vote))
                .when(withSignature("other-signature", "hash-of-other-signature", vote))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(acceptance("hash-1", true));
    }

    @Test
    void a_closed_election_takes_no_new_vote() {
        fixture.givenNoPriorActivity()
                .when(inElection("closed", castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", false)))
                .expectNoEvents()
                .expectException(problem(Problem.ELECTION_CLOSED));
    }

    @Test
    void an_election_not_open_yet_takes_no_vote() {
        fixture.givenNoPriorActivity()
                .when(inElection("draft", castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", false)))
                .expectNoEvents()
                .expectException(problem(Problem.ELECTION_NOT_OPEN));
    }

    @Test
    void a_vote_accepted_while_open_is_still_answered_after_the_election_closed() {
        CastVote vote = castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", false);
        fixture.given(voteCast(vote))
                .when(inElection("closed", vote))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(acceptance("hash-1", true));
    }

    @Test
    void the_same_idempotency_key_with_different_content_is_refused() {
        fixture.given(voteCast(castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", false)))
                .when(castVote("key-1", "no", "2026-11-22T09:00:00Z", "hash-2", false))
                .expectNoEvents()
                .expectException(problem(Problem.IDEMPOTENCY_KEY_REUSED));
    }

    @Test
    void without_revoting_a_second_vote_is_refused() {
        fixture.given(voteCast(castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", false)))
                .when(castVote("key-2", "no", "2026-11-22T09:30:00Z", "hash-2", false))
                .expectNoEvents()
                .expectException(problem(Problem.ALREADY_VOTED));
    }

    @Test
    void with_revoting_a_later_vote_replaces_the_earlier_one() {
        CastVote later = castVote("key-2", "no", "2026-11-22T09:30:00Z", "hash-2", true);
        fixture.given(voteCast(castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", true)))
                .when(later)
                .expectEvents(voteCast(later))
                .expectResultMessagePayloadMatching(acceptance("hash-2", false));
    }

    @Test
    void with_revoting_an_earlier_vote_is_refused() {
        fixture.given(voteCast(castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", true)))
                .when(castVote("key-2", "no", "2026-11-22T08:59:59Z", "hash-2", true))
                .expectNoEvents()
                .expectException(problem(Problem.ALREADY_VOTED));
    }

    @Test
    void with_revoting_an_equally_old_vote_is_refused() {
        fixture.given(voteCast(castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", true)))
                .when(castVote("key-2", "no", "2026-11-22T09:00:00Z", "hash-2", true))
                .expectNoEvents()
                .expectException(problem(Problem.ALREADY_VOTED));
    }

    @Test
    void with_revoting_a_resend_of_a_replaced_vote_is_still_a_replay() {
        CastVote first = castVote("key-1", "yes", "2026-11-22T09:00:00Z", "hash-1", true);
        fixture.given(voteCast(first), voteCast(castVote("key-2", "no", "2026-11-22T09:30:00Z", "hash-2", true)))
                .when(first)
                .expectNoEvents()
                .expectResultMessagePayloadMatching(acceptance("hash-1", true));
    }


    private static Matcher<VoteAcceptance> acceptance(String voteHash, boolean replayed) {
        return new CustomTypeSafeMatcher<>("acceptance of " + voteHash + (replayed ? ", replayed" : ", new")) {
            @Override
            protected boolean matchesSafely(VoteAcceptance acceptance) {
                return acceptance.voteHash().equals(voteHash) && acceptance.replayed() == replayed
                        && acceptance.ballotId().equals(BALLOT) && acceptance.acceptedAt().equals(ACCEPTED);
            }
        };
    }

    private static CastVote castVote(String idempotencyKey, String choice, String castAt, String voteHash, boolean revoting) {
        SignedVote vote = new SignedVote(1, "election-1", "vote-" + idempotencyKey, choice, castAt, idempotencyKey,
                new SignedVote.BallotToken("kid", "Ed25519", "public-key", "prefix", "token-signature"), "signature");
        return new CastVote(BALLOT, vote, voteHash, Instant.parse(castAt), "open", revoting, ACCEPTED, "receipt-kid");
    }

    private static CastVote inElection(String electionStatus, CastVote command) {
        return new CastVote(command.ballotId(), command.vote(), command.voteHash(), command.castAt(), electionStatus,
                command.revoting(), command.acceptedAt(), command.receiptKid());
    }

    private static CastVote withSignature(String signature, String voteHash, CastVote command) {
        SignedVote vote = command.vote();
        return new CastVote(command.ballotId(), new SignedVote(vote.v(), vote.electionId(), vote.voteId(), vote.choice(),
                vote.castAt(), vote.idempotencyKey(), vote.token(), signature), voteHash, command.castAt(),
                command.electionStatus(), command.revoting(), command.acceptedAt(), command.receiptKid());
    }

    private static VoteCast voteCast(CastVote command) {
        return new VoteCast(command.ballotId(), command.vote().electionId(), command.vote(), command.voteHash(),
                command.acceptedAt(), command.receiptKid());
    }
}
