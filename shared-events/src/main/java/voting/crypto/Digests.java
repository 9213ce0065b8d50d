package voting.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;

/** The one place digests are computed. */
public final class Digests {

    private Digests() {
    }

    public static byte[] sha256(byte[] data) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(data, 0, data.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }
}
