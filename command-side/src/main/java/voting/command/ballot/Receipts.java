package voting.command.ballot;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import voting.command.keys.SigningKeys;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;

import java.sql.Timestamp;
import java.time.format.DateTimeFormatter;
import java.util.List;

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

    /** The signed receipt's JSON, in canonical form. */
    byte[] signed(VoteAcceptance acceptance) {
        ObjectNode receipt = JsonNodeFactory.instance.objectNode()
                .put("electionId", acceptance.electionId())
                .put("ballotId", acceptance.ballotId())
                .put("voteId", acceptance.voteId())
                .put("voteHash", acceptance.voteHash())
                .put("acceptedAt", DateTimeFormatter.ISO_INSTANT.format(acceptance.acceptedAt()))
                .put("kid", acceptance.receiptKid());
        byte[] signature = keys.receiptKey(acceptance.receiptKid()).sign(CanonicalJson.of(receipt));
        receipt.put("signature", Base64Url.encode(signature));
        return CanonicalJson.of(receipt);
    }
}
