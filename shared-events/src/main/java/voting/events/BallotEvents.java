package voting.events;

import java.time.Instant;

/** What happened to a ballot. */
public final class BallotEvents {

    private BallotEvents() {
    }

    /** A vote was accepted. It carries all an auditor needs: the full signed vote, its hash and when it was accepted. */
    public record VoteCast(String ballotId,
                           String electionId,
                           SignedVote vote,
                           String voteHash,
                           Instant acceptedAt,
                           String receiptKid) {
    }
}
