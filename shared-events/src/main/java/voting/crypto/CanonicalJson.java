package voting.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * Canonical bytes of JSON: UTF-8 of its RFC 8785 (JCS) serialization, the input of every signature and hash.
 *
 * <p>The canonicalizer's own parser is lenient (it accepts {@code 01}, for one), so untrusted input should be
 * parsed with Jackson first and passed as a {@link JsonNode}.
 */
public final class CanonicalJson {

    /** Writes NaN and infinities bare, so that they are rejected rather than turned into strings. */
    private static final ObjectWriter WRITER = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build()
            .writer();

    private CanonicalJson() {
    }

    /** @throws IllegalArgumentException if {@code json} is not a JSON object or array JCS can serialize */
    public static byte[] of(String json) {
        try {
            String canonical = new JsonCanonicalizer(json).getEncodedString();
            // A strict encoder, unlike String.getBytes, reports lone surrogates, which RFC 8785 §3.2.2.2 forbids.
            ByteBuffer utf8 = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(canonical));
            byte[] bytes = new byte[utf8.remaining()];
            utf8.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("JSON cannot be canonicalized: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException if {@code node} holds NaN, an infinity or a lone surrogate */
    public static byte[] of(JsonNode node) {
        try {
            return of(WRITER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("JSON cannot be written: " + e.getMessage(), e);
        }
    }
}
