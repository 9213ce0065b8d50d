package voting.command.ballot;

import java.time.Instant;

/** What a ballot answers to CastVote: the accepted vote a receipt is made from, and whether it was accepted before. */
public record VoteAcceptance(String idempotencyKey,
                             String electionId,
                             String ballotId,
                             String voteId,
                             String voteHash,
                             Instant acceptedAt,
                             String receiptKid,
                             boolean replayed) {

    VoteAcceptance asReplay() {
        return new VoteAcceptance(idempotencyKey, electionId, ballotId, voteId, voteHash, acceptedAt, receiptKid, true);
    }
}
