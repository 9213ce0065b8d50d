package voting.command.ballot;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import voting.command.keys.SigningKeys;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;
import voting.events.BallotEvents.VoteCast;

import java.sql.Timestamp;
import java.time.format.DateTimeFormatter;

/**
 * Receipts: the promise that a vote is stored and will be counted.
 * <p>
 * Each accepted vote gets a {@code vote_receipt} row in the transaction of its VoteCast event; its primary key,
 * the idempotency key, makes a key usable once across all ballots (a ballot itself only sees its own keys).
 * The receipt is signed on demand: Ed25519 is deterministic, so the same accepted vote always yields the same
 * receipt, byte for byte.
 */
@Component
@ProcessingGroup(Receipts.PROCESSING_GROUP)
class Receipts {

    static final String PROCESSING_GROUP = "vote-receipts";

    private final JdbcTemplate jdbc;
    private final SigningKeys keys;

    Receipts(JdbcTemplate jdbc, SigningKeys keys) {
        this.jdbc = jdbc;
        this.keys = keys;
    }

    @EventHandler
    void on(VoteCast event) {
        jdbc.update("INSERT INTO vote_receipt (idempotency_key, election_id, ballot_id, vote_id, vote_hash, accepted_at, "
                        + "receipt_kid) VALUES (?, ?, ?, ?, ?, ?, ?)",
                event.vote().idempotencyKey(), event.electionId(), event.ballotId(),
                event.vote().voteId(), event.voteHash(), Timestamp.from(event.acceptedAt()),
                event.receiptKid());
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
