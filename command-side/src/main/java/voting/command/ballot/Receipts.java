package voting.command.ballot;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import voting.command.keys.SigningKeys;
import voting.events.Receipt;

import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Receipts: the promise that a vote is stored and will be counted.
 * <p>
 * Each accepted vote gets a {@code vote_receipt} row in the transaction of its VoteCast event; its primary key,
 * the idempotency key, makes a key usable once across all ballots (a ballot itself only sees its own keys).
 * The receipt is signed on demand: Ed25519 is deterministic, so the same accepted vote always yields the same
 * receipt, byte for byte.
 */
@Component
class Receipts {

    private final JdbcTemplate jdbc;
    private final SigningKeys keys;

    Receipts(JdbcTemplate jdbc, SigningKeys keys) {
        this.jdbc = jdbc;
        this.keys = keys;
    }

    /**
     * Records newly accepted votes in the current transaction, in one statement.
     *
     * @throws org.springframework.dao.DuplicateKeyException if an idempotency key has been used before
     */
    void record(List<VoteAcceptance> accepted) {
        jdbc.batchUpdate("INSERT INTO vote_receipt (idempotency_key, election_id, ballot_id, vote_id, vote_hash, "
                        + "accepted_at, receipt_kid) VALUES (?, ?, ?, ?, ?, ?, ?)",
                accepted.stream().map(vote -> new Object[]{vote.idempotencyKey(), vote.electionId(), vote.ballotId(),
                        vote.voteId(), vote.voteHash(), Timestamp.from(vote.acceptedAt()), vote.receiptKid()}).toList());
    }

    /** The votes accepted earlier under these idempotency keys, by key, as replays. */
    Map<String, VoteAcceptance> acceptedEarlier(Collection<String> idempotencyKeys) {
        Map<String, VoteAcceptance> accepted = new HashMap<>();
        if (idempotencyKeys.isEmpty()) {
            return accepted;
        }
        jdbc.query("SELECT idempotency_key, election_id, ballot_id, vote_id, vote_hash, accepted_at, receipt_kid "
                        + "FROM vote_receipt WHERE idempotency_key = ANY(?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", idempotencyKeys.toArray())),
                (RowCallbackHandler) row -> accepted.put(row.getString(1), new VoteAcceptance(row.getString(1),
                        row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                        row.getTimestamp(6).toInstant(), row.getString(7), true)));
        return accepted;
    }

    /** The signed receipt's JSON, in canonical form. */
    byte[] signed(VoteAcceptance acceptance) {
        return new Receipt(acceptance.electionId(), acceptance.ballotId(), acceptance.voteId(), acceptance.voteHash(),
                acceptance.acceptedAt(), acceptance.receiptKid()).signedJson(keys.receiptKey(acceptance.receiptKid()));
    }
}
