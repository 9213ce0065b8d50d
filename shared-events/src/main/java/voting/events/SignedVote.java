package voting.events;

/**
 * A vote exactly as the voter signed it (contract: "Vote"). Every field is kept as sent, so that the canonical
 * bytes, the signature and the voteHash can be checked again from the event alone.
 */
public record SignedVote(int v,
                         String electionId,
                         String voteId,
                         String choice,
                         String castAt,
                         String idempotencyKey,
                         BallotToken token,
                         String signature) {

    /** The ballot token: the issuer's signature over the voter's public key for one election. */
    public record BallotToken(String kid, String alg, String publicKey, String prefix, String signature) {
    }
}
