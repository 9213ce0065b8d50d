package voting.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/** A voter's device with an Ed25519 key, making token requests and signed votes as the contract says. */
public final class Voter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(RANDOM);

    public ObjectNode tokenRequest() {
        byte[] prefix = new byte[32];
        RANDOM.nextBytes(prefix);
        return JSON.createObjectNode()
                .put("alg", "Ed25519")
                .put("publicKey", Base64Url.encode(spki()))
                .put("prefix", Base64Url.encode(prefix));
    }

    /** The vote, signed over the canonical bytes of the vote without its signature. */
    public ObjectNode vote(String electionId, JsonNode token, String choice, Instant castAt) {
        ObjectNode vote = JSON.createObjectNode()
                .put("v", 1)
                .put("electionId", electionId)
                .put("voteId", UUID.randomUUID().toString())
                .put("choice", choice)
                .put("castAt", castAt.toString())
                .put("idempotencyKey", UUID.randomUUID().toString());
        vote.set("token", token);
        byte[] message = CanonicalJson.of(vote);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return vote.put("signature", Base64Url.encode(signer.generateSignature()));
    }

    private byte[] spki() {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key.generatePublicKey()).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
