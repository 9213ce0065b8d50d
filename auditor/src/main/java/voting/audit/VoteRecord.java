package voting.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One accepted vote as a source shows it — a VoteCast event of the event store, or a line of the public bulletin
 * board — and what {@link VoteVerifier} found in it. Filled by one worker thread, read after all have finished.
 */
final class VoteRecord {

    /** The event store's global index, or -1 for a board line read over HTTP. */
    final long globalIndex;
    /** The event's aggregate (the ballot it was stored under), or the board line's ballotId. */
    final String aggregateId;
    /** The event's sequence number in its ballot, or -1 for a board line read over HTTP. */
    final long sequenceNumber;
    /** The raw event payload, or the raw board line: parsed by the verifier, then dropped. */
    byte[] raw;

    /** The board position: the line's own, or the position of the board line naming this event; -1 if none. */
    long position = -1;
    /** For a board line read over HTTP: its place in the stream (1, 2, 3...), which its position must equal. */
    long lineNumber = -1;

    String ballotId;
    String derivedBallotId;
    String voteId;
    String choice;
    String idempotencyKey;
    String claimedVoteHash;
    String computedVoteHash;
    Instant castAt;
    Instant acceptedAt;
    boolean parsed;
    boolean valid;
    /** What the verifier found wrong, kept without location until the board position is known. */
    final List<Problem> problems = new ArrayList<>(0);

    record Problem(Finding.Kind kind, String detail) {
    }

    VoteRecord(long globalIndex, String aggregateId, long sequenceNumber, byte[] raw) {
        this.globalIndex = globalIndex;
        this.aggregateId = aggregateId;
        this.sequenceNumber = sequenceNumber;
        this.raw = raw;
    }

    /** The ballot this vote is stored under: the event's aggregate, or the board line's ballotId. */
    String ballotKey() {
        return aggregateId != null ? aggregateId : ballotId;
    }

    void add(Finding.Kind kind, String detail) {
        problems.add(new Problem(kind, detail));
    }

    /** The problems as findings, located where the vote is (board position, event, ballot, vote). */
    List<Finding> findings() {
        return problems.stream().map(problem -> Finding.about(this, problem.kind(), problem.detail())).toList();
    }
}
