package voting.crypto;

import java.util.Base64;

/**
 * base64url without padding (RFC 4648 §5), the contract's encoding of every binary value.
 *
 * <p>Decoding is strict: each byte string has exactly one accepted text, so a signed or hashed value cannot be
 * re-encoded into a second form that still decodes to the same bytes.
 */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * @throws IllegalArgumentException on padding, a character outside the url-safe alphabet, a length of 1 mod 4,
     *                                  or non-zero unused bits in the last character
     */
    public static byte[] decode(String text) {
        // The JDK decoder accepts padding and ignores the unused trailing bits, so those two are checked here.
        if (text.indexOf('=') >= 0) {
            throw new IllegalArgumentException("base64url must not be padded");
        }
        byte[] bytes = DECODER.decode(text); // rejects other characters and a dangling last character
        int unusedBits = switch (text.length() % 4) {
            case 2 -> 0b1111;
            case 3 -> 0b11;
            default -> 0;
        };
        if (unusedBits != 0 && (sextet(text.charAt(text.length() - 1)) & unusedBits) != 0) {
            throw new IllegalArgumentException("non-canonical base64url: unused bits are set");
        }
        return bytes;
    }

    /** The 6-bit value of a character already known to be in the url-safe alphabet. */
    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : 63;
    }
}
