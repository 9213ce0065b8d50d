package voting.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.erdtman.jcs.JsonCanonicalizer;
import org.erdtman.jcs.NumberToJSON;

/**
 * Canonical bytes of JSON: UTF-8 of its RFC 8785 (JCS) serialization, the input of every signature and hash.
 *
 * <p>The canonicalizer's own parser is lenient (it accepts {@code 01}, for one), so untrusted input should be
 * parsed with Jackson first and passed as a {@link JsonNode}.
 */
public final class CanonicalJson {

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

    /**
     * Writes the tree straight in canonical form (rather than through a string the canonicalizer parses again: this
     * runs three times for every vote). Numbers still go through the canonicalizer's ES6 number formatting.
     *
     * @throws IllegalArgumentException if {@code node} holds NaN, an infinity or a lone surrogate
     */
    public static byte[] of(JsonNode node) {
        StringBuilder canonical = new StringBuilder(2048); // a vote with an RSA-signed token is over 1,000 characters
        write(node, canonical);
        try {
            // A strict encoder, unlike String.getBytes, reports lone surrogates, which RFC 8785 §3.2.2.2 forbids.
            ByteBuffer utf8 = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(canonical));
            byte[] bytes = new byte[utf8.remaining()];
            utf8.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalArgumentException("JSON cannot be canonicalized: " + e.getMessage(), e);
        }
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                node.fieldNames().forEachRemaining(names::add);
                Collections.sort(names); // String order is UTF-16 code unit order, as RFC 8785 §3.2.3 asks
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(names.get(i), out);
                    out.append(':');
                    write(node.get(names.get(i)), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), out);
            case NUMBER -> {
                try {
                    out.append(NumberToJSON.serializeNumber(node.doubleValue())); // rejects NaN and infinities
                } catch (IOException e) {
                    throw new IllegalArgumentException("JSON cannot be canonicalized: " + e.getMessage(), e);
                }
            }
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("JSON cannot hold a " + node.getNodeType());
        }
    }

    /** RFC 8785 §3.2.2.2: only '"', '\\' and control characters are escaped, the short forms where they exist. */
    private static void string(String value, StringBuilder out) {
        out.append('"');
        if (plain(value)) {
            out.append(value); // the usual case (ids, times, base64url): one copy, not a char at a time
        } else {
            for (int i = 0; i < value.length(); i++) {
                escaped(value.charAt(i), out);
            }
        }
        out.append('"');
    }

    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                return false;
            }
        }
        return true;
    }

    private static void escaped(char c, StringBuilder out) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (c < 0x20) {
                    out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                } else {
                    out.append(c);
                }
            }
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
