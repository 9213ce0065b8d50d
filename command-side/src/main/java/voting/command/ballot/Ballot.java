package voting.command.ballot;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import voting.service.Problem;
import voting.events.BallotCommands.CastFirstVote;
import voting.events.BallotCommands.CastVote;
import voting.events.BallotEvents.VoteCast;
import voting.events.SignedVote;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One voter's ballot, identified by the ballot id its token yields. It guards the ballot's rules:
 * one vote (or, where the election allows revoting, a newer vote replacing it), only while the election is open,
 * and idempotent resends, which get their receipt even after the election closed.
 */
@Aggregate
class Ballot {

    private record Accepted(SignedVote vote, VoteAcceptance acceptance) {

        /** Parsed only where a revote is weighed: parsing it for every vote stored costs the ballot box's time. */
        Instant castAt() {
            return Instant.parse(vote.castAt());
        }
    }

    @AggregateIdentifier
    private String ballotId;
    private final List<Accepted> accepted = new ArrayList<>();

    Ballot() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    VoteAcceptance handle(CastVote command) {
        String idempotencyKey = command.vote().idempotencyKey();
        for (Accepted earlier : accepted) {
            if (earlier.vote().idempotencyKey().equals(idempotencyKey)) {
                if (earlier.vote().sameVoteAs(command.vote())) {
                    return earlier.acceptance().asReplay();
                }
                throw Problem.IDEMPOTENCY_KEY_REUSED.because("Idempotency key " + idempotencyKey + " was used for a different vote");
            }
        }
        if (command.electionStatus().equals("closed")) {
            throw Problem.ELECTION_CLOSED.because("The election is closed");
        }
        if (!command.electionStatus().equals("open")) {
            throw Problem.ELECTION_NOT_OPEN.because("The election is not open yet");
        }
        if (!accepted.isEmpty()) {
            Accepted newest = accepted.get(accepted.size() - 1);
            if (!command.revoting()) {
                throw Problem.ALREADY_VOTED.because("This ballot already holds a vote");
            }
            if (!command.castAt().isAfter(newest.castAt())) {
                throw Problem.ALREADY_VOTED.because("This ballot holds a vote cast at the same time or later");
            }
        }
        apply(new VoteCast(command.ballotId(), command.vote().electionId(), command.vote(), command.voteHash(),
                command.acceptedAt(), command.receiptKid()));
        return accepted.get(accepted.size() - 1).acceptance();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    VoteAcceptance handle(CastFirstVote command) {
        return handle(command.vote());
    }

    @EventSourcingHandler
    void on(VoteCast event) {
        ballotId = event.ballotId();
        accepted.add(new Accepted(event.vote(),
                new VoteAcceptance(event.vote().idempotencyKey(), event.electionId(), event.ballotId(), event.vote().voteId(), event.voteHash(),
                        event.acceptedAt(), event.receiptKid(), false)));
    }
}
