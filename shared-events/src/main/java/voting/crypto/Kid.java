package voting.crypto;

import java.util.Arrays;

/**
 * Key identifiers. The rule, for every key the contract publishes (issuer, receipt):
 * <pre>kid = b64u(first 16 bytes of SHA-256(SPKI DER))</pre>
 * 128 bits make collisions between an election's keys impossible in practice, and anyone holding the SPKI can
 * recompute the kid.
 */
public final class Kid {

    private static final int LENGTH = 16;

    private Kid() {
    }

    public static String of(byte[] spkiDer) {
        return Base64Url.encode(Arrays.copyOf(Digests.sha256(spkiDer), LENGTH));
    }
}
