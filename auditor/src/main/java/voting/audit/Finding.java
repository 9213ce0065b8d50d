package voting.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One discrepancy: what is wrong ({@link Kind}, in words in {@code detail}) and where — the board position, the
 * event (global index, ballot, sequence number), the vote, or the tally option it is about. Absent parts are null.
 */
public record Finding(Kind kind, String detail, Long position, Long globalIndex, String ballotId,
                      Long sequenceNumber, String voteId, String option) {

    /** Every kind of finding, with its name in reports. docs/auditing.md says what each one means. */
    public enum Kind {
        MALFORMED_EVENT("malformed-event"),
        MALFORMED_VOTE("malformed-vote"),
        WRONG_ELECTION("wrong-election"),
        VOTE_HASH_MISMATCH("vote-hash-mismatch"),
        INVALID_TOKEN("invalid-token"),
        BALLOT_MISMATCH("ballot-mismatch"),
        INVALID_SIGNATURE("invalid-signature"),
        UNKNOWN_OPTION("unknown-option"),
        OUTSIDE_WINDOW("outside-window"),
        WRONG_RECEIPT_KEY("wrong-receipt-key"),
        DUPLICATE_BALLOT("duplicate-ballot"),
        DUPLICATE_VOTE("duplicate-vote"),
        SEQUENCE_GAP("sequence-gap"),
        UNEXPECTED_EVENT("unexpected-event"),
        INVALID_ELECTION("invalid-election"),
        ELECTION_HISTORY("election-history"),
        EVENT_NOT_ON_BOARD("event-not-on-board"),
        BOARD_LINE_WITHOUT_EVENT("board-line-without-event"),
        BOARD_MISMATCH("board-mismatch"),
        BOARD_GAP("board-gap"),
        RECEIPT_WITHOUT_EVENT("receipt-without-event"),
        RECEIPT_MISMATCH("receipt-mismatch"),
        EVENT_WITHOUT_RECEIPT("event-without-receipt"),
        TALLY_MISMATCH("tally-mismatch");

        private final String slug;

        Kind(String slug) {
            this.slug = slug;
        }

        public String slug() {
            return slug;
        }

        /** Kinds that make a vote invalid: the recount leaves such a vote out. */
        boolean invalidatesVote() {
            return switch (this) {
                case MALFORMED_EVENT, MALFORMED_VOTE, WRONG_ELECTION, INVALID_TOKEN, BALLOT_MISMATCH,
                     INVALID_SIGNATURE, UNKNOWN_OPTION, OUTSIDE_WINDOW -> true;
                default -> false;
            };
        }
    }

    /** A finding about one vote, located where the vote was found. */
    static Finding about(VoteRecord vote, Kind kind, String detail) {
        return new Finding(kind, detail, vote.position > 0 ? vote.position : null,
                vote.globalIndex >= 0 ? vote.globalIndex : null, vote.ballotKey(),
                vote.sequenceNumber >= 0 ? vote.sequenceNumber : null, vote.voteId, null);
    }

    /** A finding about an event that is not (or not only) a vote. */
    static Finding aboutEvent(Kind kind, String detail, long globalIndex, String aggregateId, long sequenceNumber) {
        return new Finding(kind, detail, null, globalIndex, aggregateId, sequenceNumber, null, null);
    }

    /** A finding about a board line, and the event it names (its ballot and sequence number if it is stored). */
    static Finding aboutLine(Kind kind, String detail, long position, long globalIndex, String ballotId,
                             Long sequenceNumber) {
        return new Finding(kind, detail, position, globalIndex, ballotId, sequenceNumber, null, null);
    }

    /** A finding about the tally (at {@code position}, for {@code option}), or about the election as a whole. */
    static Finding aboutTally(Kind kind, String detail, Long position, String option) {
        return new Finding(kind, detail, position, null, null, null, null, option);
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("kind", kind.slug());
        json.put("detail", detail);
        if (position != null) {
            json.put("position", position);
        }
        if (globalIndex != null) {
            json.put("globalIndex", globalIndex);
        }
        if (ballotId != null) {
            json.put("ballotId", ballotId);
        }
        if (sequenceNumber != null) {
            json.put("sequenceNumber", sequenceNumber);
        }
        if (voteId != null) {
            json.put("voteId", voteId);
        }
        if (option != null) {
            json.put("option", option);
        }
        return json;
    }

    /** Where, in words: "board position 17, event 1042, ballot Ab3…, sequence 0, vote 5f0c…". */
    String where() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (position != null) {
            parts.add((kind == Kind.TALLY_MISMATCH ? "tally position " : "board position ") + position);
        }
        if (globalIndex != null) {
            parts.add("event " + globalIndex);
        }
        if (ballotId != null) {
            parts.add("ballot " + ballotId);
        }
        if (sequenceNumber != null) {
            parts.add("sequence " + sequenceNumber);
        }
        if (voteId != null) {
            parts.add("vote " + voteId);
        }
        if (option != null) {
            parts.add("option " + option);
        }
        return String.join(", ", parts);
    }
}
