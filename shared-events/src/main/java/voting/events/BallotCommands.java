package voting.events;

import java.time.Instant;

/** Commands on the Ballot aggregate: one ballot per ballot token. */
public final class BallotCommands {

    private BallotCommands() {
    }

    /** A command on one ballot, addressed by its ballot id (the command side routes it without reflection). */
    public sealed interface BallotCommand permits CastVote, CastFirstVote {
        String ballotId();
    }

    /**
     * Cast a vote that intake has already checked (format, token, signature, option known).
     * {@code electionStatus} (draft, open or closed) and {@code revoting} are the election's state and rule at
     * {@code acceptedAt}; {@code castAt} is the vote's own time, parsed.
     */
    public record CastVote(String ballotId,
                           SignedVote vote,
                           String voteHash,
                           Instant castAt,
                           String electionStatus,
                           boolean revoting,
                           Instant acceptedAt,
                           String receiptKid) implements BallotCommand {
    }

    /**
     * Cast the first vote of a ballot that, as far as the ballot box knows, holds none yet, so the ballot is not
     * read before. Should it hold one after all (another instance wrote it a moment ago), storing the vote fails
     * and it is cast again as a {@link CastVote}.
     */
    public record CastFirstVote(CastVote vote) implements BallotCommand {

        @Override
        public String ballotId() {
            return vote.ballotId();
        }
    }
}
