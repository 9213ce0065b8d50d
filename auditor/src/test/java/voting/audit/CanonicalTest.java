package voting.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The auditor's canonical bytes are the format library's (RFC 8785), plain or not; its SHA-256 is SHA-256. */
class CanonicalTest {

    private static final Random RANDOM = new Random(8785);
    private static final String[] ODD = {"é", "\u2028", "\"", "\\", "\n", "\u0001", "\u007f", "😀", "a/b", "<>&", " "};

    @Test
    void votes_and_token_messages_are_written_as_the_format_library_writes_them() {
        for (int i = 0; i < 2000; i++) {
            ObjectNode vote = randomVote(i % 3 == 0);
            for (boolean withSignature : new boolean[]{true, false}) {
                ObjectNode expected = vote.deepCopy();
                if (!withSignature) {
                    expected.remove("signature");
                }
                assertThat(new String(Canonical.vote(vote, withSignature), StandardCharsets.UTF_8))
                        .isEqualTo(new String(CanonicalJson.of(expected), StandardCharsets.UTF_8));
            }
            String alg = vote.at("/token/alg").asText();
            String publicKey = vote.at("/token/publicKey").asText();
            String electionId = vote.get("electionId").asText();
            assertThat(Canonical.tokenMessage(alg, electionId, publicKey)).isEqualTo(CanonicalJson.of(
                    JsonNodeFactory.instance.objectNode().put("alg", alg).put("electionId", electionId)
                            .put("publicKey", publicKey)));
        }
    }

    @Test
    void a_lone_surrogate_has_no_canonical_form() {
        ObjectNode vote = randomVote(false).put("choice", "\uD800");
        assertThatThrownBy(() -> Canonical.vote(vote, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sha256_is_sha256() throws Exception {
        byte[] data = new byte[1000];
        RANDOM.nextBytes(data);
        assertThat(Canonical.sha256(data)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(Base64Url.encode(Canonical.sha256("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"); // FIPS 180-2 example
    }

    private static ObjectNode randomVote(boolean odd) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode token = nodes.objectNode().put("kid", text(odd, 22)).put("alg", RANDOM.nextBoolean() ? "Ed25519" : "ES256")
                .put("publicKey", text(odd, 60)).put("prefix", text(odd, 43)).put("signature", text(odd, 342));
        ObjectNode vote = nodes.objectNode().put("v", 1).put("electionId", text(odd, 12))
                .put("voteId", UUID.randomUUID().toString()).put("choice", text(odd, 6))
                .put("castAt", Instant.ofEpochMilli(RANDOM.nextLong() & 0xffffffffffL).toString())
                .put("idempotencyKey", UUID.randomUUID().toString());
        vote.set("token", token);
        return vote.put("signature", text(odd, 86));
    }

    /** base64url-like text, and with {@code odd} now and then a character that needs escaping or is not ASCII. */
    private static String text(boolean odd, int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        String text = Base64Url.encode(bytes).substring(0, length);
        if (odd && RANDOM.nextInt(4) == 0) {
            int at = RANDOM.nextInt(text.length());
            text = text.substring(0, at) + ODD[RANDOM.nextInt(ODD.length)] + text.substring(at);
        }
        return text;
    }
}
