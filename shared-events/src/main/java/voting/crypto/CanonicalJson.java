package voting.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
     * runs five times for every vote). Numbers still go through the canonicalizer's ES6 number formatting.
     *
     * @throws IllegalArgumentException if {@code node} holds NaN, an infinity or a lone surrogate
     */
    public static byte[] of(JsonNode node) {
        Utf8 out = BUFFERS.get();
        out.length = 0;
        write(node, out);
        return Arrays.copyOf(out.bytes, out.length);
    }

    /**
     * The canonical bytes of {@code object} as if it had no member {@code omitted}: what a vote's signature covers
     * is the vote without its signature, and this leaves it out without copying the vote.
     *
     * @throws IllegalArgumentException as {@link #of(JsonNode)} does
     */
    public static byte[] without(ObjectNode object, String omitted) {
        Utf8 out = BUFFERS.get();
        out.length = 0;
        object(object, omitted, out);
        return Arrays.copyOf(out.bytes, out.length);
    }

    /** Each thread's buffer, reused: fresh ones for a vote's canonical forms were a sixth of the vote's garbage. */
    private static final ThreadLocal<Utf8> BUFFERS = ThreadLocal.withInitial(Utf8::new);

    private static void write(JsonNode node, Utf8 out) {
        switch (node.getNodeType()) {
            case OBJECT -> object(node, null, out);
            case ARRAY -> {
                out.ascii('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.ascii(',');
                    }
                    write(node.get(i), out);
                }
                out.ascii(']');
            }
            case STRING -> string(node.textValue(), out);
            case NUMBER -> {
                try {
                    out.ascii(NumberToJSON.serializeNumber(node.doubleValue())); // rejects NaN and infinities
                } catch (IOException e) {
                    throw new IllegalArgumentException("JSON cannot be canonicalized: " + e.getMessage(), e);
                }
            }
            case BOOLEAN -> out.ascii(node.booleanValue() ? "true" : "false");
            case NULL -> out.ascii("null");
            default -> throw new IllegalArgumentException("JSON cannot hold a " + node.getNodeType());
        }
    }

    private static void object(JsonNode node, String omitted, Utf8 out) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
        node.fields().forEachRemaining(member -> {
            if (!member.getKey().equals(omitted)) {
                members.add(member);
            }
        });
        members.sort(Map.Entry.comparingByKey()); // String order is UTF-16 code unit order, as RFC 8785 §3.2.3 asks
        out.ascii('{');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.ascii(',');
            }
            string(members.get(i).getKey(), out);
            out.ascii(':');
            write(members.get(i).getValue(), out);
        }
        out.ascii('}');
    }

    /**
     * RFC 8785 §3.2.2.2: only '"', '\\' and control characters are escaped, the short forms where they exist; the
     * rest is UTF-8, and a lone surrogate, which UTF-8 cannot hold, is refused.
     */
    private static void string(String value, Utf8 out) {
        out.ascii('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.ascii(c); // nearly every character of a vote: ids, times and base64url
                continue;
            }
            switch (c) {
                case '"' -> out.ascii("\\\"");
                case '\\' -> out.ascii("\\\\");
                case '\b' -> out.ascii("\\b");
                case '\f' -> out.ascii("\\f");
                case '\n' -> out.ascii("\\n");
                case '\r' -> out.ascii("\\r");
                case '\t' -> out.ascii("\\t");
                default -> {
                    if (c < 0x20) {
                        out.ascii("\\u00");
                        out.ascii(HEX[c >> 4]);
                        out.ascii(HEX[c & 0xf]);
                    } else if (!Character.isSurrogate(c)) {
                        out.codePoint(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.codePoint(Character.toCodePoint(c, value.charAt(++i)));
                    } else {
                        throw new IllegalArgumentException("JSON cannot be canonicalized: a lone surrogate");
                    }
                }
            }
        }
        out.ascii('"');
    }

    /** UTF-8 bytes as they are written. */
    private static final class Utf8 {
        byte[] bytes = new byte[2048]; // a vote with an RSA-signed token is over 1,000 bytes
        int length;

        void ascii(char c) {
            room(1);
            bytes[length++] = (byte) c;
        }

        void ascii(String s) {
            room(s.length());
            for (int i = 0; i < s.length(); i++) {
                bytes[length++] = (byte) s.charAt(i);
            }
        }

        void codePoint(int c) {
            room(4);
            if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else if (c < 0x800) {
                bytes[length++] = (byte) (0xc0 | c >> 6);
                bytes[length++] = (byte) (0x80 | c & 0x3f);
            } else if (c < 0x10000) {
                bytes[length++] = (byte) (0xe0 | c >> 12);
                bytes[length++] = (byte) (0x80 | c >> 6 & 0x3f);
                bytes[length++] = (byte) (0x80 | c & 0x3f);
            } else {
                bytes[length++] = (byte) (0xf0 | c >> 18);
                bytes[length++] = (byte) (0x80 | c >> 12 & 0x3f);
                bytes[length++] = (byte) (0x80 | c >> 6 & 0x3f);
                bytes[length++] = (byte) (0x80 | c & 0x3f);
            }
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
