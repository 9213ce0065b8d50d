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

    /**
     * Whether this is the same vote as {@code other}: equal in everything but the signature. ES256 signatures are
     * malleable (s and n−s both verify), so a resend may carry other signature bytes for the very same vote.
     */
    public boolean sameVoteAs(SignedVote other) {
        return withoutSignature().equals(other.withoutSignature());
    }

    private SignedVote withoutSignature() {
        return new SignedVote(v, electionId, voteId, choice, castAt, idempotencyKey, token, null);
    }

    /** The ballot token: the issuer's signature over the voter's public key for one election. */
    public record BallotToken(String kid, String alg, String publicKey, String prefix, String signature) {
    }
}
