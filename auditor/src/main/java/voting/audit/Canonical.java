package voting.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import voting.crypto.CanonicalJson;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Canonical bytes (RFC 8785) of votes and token messages, and SHA-256.
 * <p>
 * A vote in the contract's form (checked before) has fixed members, the integer {@code v} = 1 and strings that in
 * practice are plain ASCII (ids, UUIDs, times, base64url). For those the canonical form is written here directly:
 * members in UTF-16 code unit order (§3.2.3), fixed here as the members are, strings between quotes as they are —
 * only {@code "}, {@code \} and control characters would need escaping (§3.2.2.2) — and 1 as {@code 1}. A vote
 * with any other character goes to {@link CanonicalJson}, the format library's canonicalizer, which is also the
 * reference this is tested against (CanonicalTest). It matters for speed: the general route parses and writes the
 * JSON twice and cost a third of a signature check per vote.
 */
final class Canonical {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    });

    private Canonical() {
    }

    /** The vote's members in RFC 8785 order (UTF-16 code units; all ASCII here), and its token's. */
    private static final String[] VOTE_MEMBERS =
            {"castAt", "choice", "electionId", "idempotencyKey", "signature", "token", "v", "voteId"};
    private static final String[] TOKEN_MEMBERS = {"alg", "kid", "prefix", "publicKey", "signature"};

    /**
     * The canonical bytes of a vote in the contract's form (exactly its members, {@code v} an integer, the rest
     * strings; {@link VoteVerifier} checks that first), with or without its signature.
     *
     * @throws IllegalArgumentException if the vote has no canonical form (a lone surrogate)
     */
    static byte[] vote(ObjectNode vote, boolean withSignature) {
        Writer writer = new Writer();
        writer.put('{');
        boolean first = true;
        for (String member : VOTE_MEMBERS) {
            if (!withSignature && member.equals("signature")) {
                continue;
            }
            if (!first) {
                writer.put(',');
            }
            first = false;
            writer.string(member);
            writer.put(':');
            JsonNode value = vote.get(member);
            if (member.equals("v")) {
                writer.ascii(Integer.toString(value.intValue()));
            } else if (member.equals("token")) {
                writer.put('{');
                for (int i = 0; i < TOKEN_MEMBERS.length; i++) {
                    if (i > 0) {
                        writer.put(',');
                    }
                    writer.string(TOKEN_MEMBERS[i]);
                    writer.put(':');
                    if (!writer.text(value.get(TOKEN_MEMBERS[i]).textValue())) {
                        return general(vote, withSignature);
                    }
                }
                writer.put('}');
            } else if (!writer.text(value.textValue())) {
                return general(vote, withSignature);
            }
        }
        writer.put('}');
        return writer.bytes();
    }

    /** tokenMessage = canonical bytes of {"alg", "electionId", "publicKey"}. */
    static byte[] tokenMessage(String alg, String electionId, String publicKey) {
        Writer writer = new Writer();
        writer.ascii("{\"alg\":");
        boolean plain = writer.text(alg);
        writer.ascii(",\"electionId\":");
        plain &= writer.text(electionId);
        writer.ascii(",\"publicKey\":");
        plain &= writer.text(publicKey);
        writer.put('}');
        if (plain) {
            return writer.bytes();
        }
        return CanonicalJson.of(JsonNodeFactory.instance.objectNode()
                .put("alg", alg).put("electionId", electionId).put("publicKey", publicKey));
    }

    /** Anything not plain: the format library's canonicalizer. */
    private static byte[] general(ObjectNode vote, boolean withSignature) {
        if (withSignature) {
            return CanonicalJson.of(vote);
        }
        ObjectNode without = vote.deepCopy();
        without.remove("signature");
        return CanonicalJson.of(without);
    }

    static byte[] sha256(byte[] data) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return digest.digest(data);
    }

    /** A growing byte buffer for ASCII JSON. */
    private static final class Writer {

        private byte[] buffer = new byte[1024];
        private int length;

        /** Writes a plain string between quotes and answers true, or answers false if it is not plain. */
        boolean text(String text) {
            if (text == null || !plain(text)) {
                return false;
            }
            string(text);
            return true;
        }

        /** Printable ASCII without the two characters JSON escapes: written between quotes as it is. */
        private static boolean plain(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    return false;
                }
            }
            return true;
        }

        void string(String text) {
            put('"');
            ascii(text);
            put('"');
        }

        void ascii(String text) {
            ensure(text.length());
            for (int i = 0; i < text.length(); i++) {
                buffer[length++] = (byte) text.charAt(i);
            }
        }

        void put(char c) {
            ensure(1);
            buffer[length++] = (byte) c;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(buffer, length);
        }
    }
}
