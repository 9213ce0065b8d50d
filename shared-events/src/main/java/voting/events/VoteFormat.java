package voting.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;
import voting.crypto.Digests;

/** The contract's derived values of a ballot token, written down once. */
public final class VoteFormat {

    private VoteFormat() {
    }

    /** tokenMessage = canonical bytes of {"alg", "electionId", "publicKey"}. */
    public static byte[] tokenMessage(String alg, String electionId, String publicKey) {
        return CanonicalJson.of(JsonNodeFactory.instance.objectNode()
                .put("alg", alg)
                .put("electionId", electionId)
                .put("publicKey", publicKey));
    }

    /** The bytes the issuer signs: prefix ‖ tokenMessage. */
    public static byte[] signedTokenBytes(byte[] prefix, byte[] tokenMessage) {
        byte[] joined = new byte[prefix.length + tokenMessage.length];
        System.arraycopy(prefix, 0, joined, 0, prefix.length);
        System.arraycopy(tokenMessage, 0, joined, prefix.length, tokenMessage.length);
        return joined;
    }

    /** ballotId = b64u(SHA-256(tokenMessage)). */
    public static String ballotId(byte[] tokenMessage) {
        return Base64Url.encode(Digests.sha256(tokenMessage));
    }
}
