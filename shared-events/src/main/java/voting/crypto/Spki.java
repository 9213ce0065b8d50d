package voting.crypto;

import java.util.Arrays;
import org.bouncycastle.util.encoders.Hex;

/**
 * The two SubjectPublicKeyInfo forms of elliptic-curve keys in the contract. DER gives each value a single
 * encoding, so a valid SPKI of either form is a fixed prefix followed by the raw key: comparing bytes is stricter
 * and cheaper than parsing hostile ASN.1.
 */
enum Spki {

    /** RFC 8410: algorithm id-Ed25519 (no parameters), then the 32-byte key. */
    ED25519("302a300506032b6570032100", 32),

    /**
     * RFC 5480: id-ecPublicKey with namedCurve prime256v1, then an uncompressed point 0x04 ‖ X ‖ Y. Compressed
     * points are refused so that a key has one encoding, hence one tokenMessage and one ballotId.
     */
    P256("3059301306072a8648ce3d020106082a8648ce3d03010703420004", 64);

    private final byte[] prefix;
    private final int keyLength;

    Spki(String prefixHex, int keyLength) {
        this.prefix = Hex.decode(prefixHex);
        this.keyLength = keyLength;
    }

    byte[] wrap(byte[] key) {
        byte[] spki = Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, spki, prefix.length, key.length);
        return spki;
    }

    /** @return where the raw key starts in {@code spki} */
    int keyOffset(byte[] spki) {
        if (spki == null || spki.length != prefix.length + keyLength
                || !Arrays.equals(spki, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new IllegalArgumentException("not an " + name() + " SubjectPublicKeyInfo");
        }
        return prefix.length;
    }
}
