package voting.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;
import voting.crypto.ReceiptKey;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** A receipt (contract: Receipt): the command side's signed promise that an accepted vote is stored and counted. */
public record Receipt(String electionId, String ballotId, String voteId, String voteHash, Instant acceptedAt, String kid) {

    /**
     * The receipt's JSON with its signature over the canonical JSON without it, itself in canonical form. Ed25519 is
     * deterministic, so the same receipt always gives the same bytes.
     */
    public byte[] signedJson(ReceiptKey key) {
        ObjectNode receipt = JsonNodeFactory.instance.objectNode()
                .put("electionId", electionId)
                .put("ballotId", ballotId)
                .put("voteId", voteId)
                .put("voteHash", voteHash)
                .put("acceptedAt", DateTimeFormatter.ISO_INSTANT.format(acceptedAt))
                .put("kid", kid);
        receipt.put("signature", Base64Url.encode(key.sign(CanonicalJson.of(receipt))));
        return CanonicalJson.of(receipt);
    }
}
