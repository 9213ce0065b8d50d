package voting.crypto;

import java.math.BigInteger;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A voter's public key, {@value #ED25519} or {@value #ES256} (ECDSA P-256 with SHA-256, signature r ‖ s as in
 * IEEE P1363). Also verifies receipts, which are {@value #ED25519} signatures.
 *
 * <p>Immutable and thread-safe. Keys arrive from anyone, so parsing throws nothing but
 * {@link IllegalArgumentException} and verifying throws nothing at all.
 */
public final class VoterPublicKey {

    public static final String ED25519 = "Ed25519";
    public static final String ES256 = "ES256";

    /** Both algorithms: Ed25519 R ‖ S, and P1363 r ‖ s of 32 bytes each. */
    private static final int SIGNATURE_LENGTH = 64;
    private static final int P256_SCALAR_LENGTH = 32;

    /** BouncyCastle's specialized, faster P-256 arithmetic. */
    private static final ECDomainParameters P256 = new ECDomainParameters(CustomNamedCurves.getByName("P-256"));

    private final String alg;
    private final Verifier verifier;

    private VoterPublicKey(String alg, Verifier verifier) {
        this.alg = alg;
        this.verifier = verifier;
    }

    /**
     * @param alg     {@value #ED25519} or {@value #ES256}
     * @param spkiDer the key as DER SubjectPublicKeyInfo
     * @throws IllegalArgumentException on an unknown algorithm, an SPKI of another algorithm or curve, a malformed
     *                                  SPKI, or a point that is not on the curve
     */
    public static VoterPublicKey parse(String alg, byte[] spkiDer) {
        if (ED25519.equals(alg)) {
            return new VoterPublicKey(ED25519, ed25519(spkiDer));
        }
        if (ES256.equals(alg)) {
            return new VoterPublicKey(ES256, es256(spkiDer));
        }
        throw new IllegalArgumentException("unknown voter key algorithm: " + alg);
    }

    public String alg() {
        return alg;
    }

    /** @return whether {@code signature} is this key's signature over {@code message}; never throws */
    public boolean verify(byte[] message, byte[] signature) {
        return signature.length == SIGNATURE_LENGTH && verifier.verify(message, signature);
    }

    /** Checks a signature already known to be {@value #SIGNATURE_LENGTH} bytes long. */
    @FunctionalInterface
    private interface Verifier {
        boolean verify(byte[] message, byte[] signature);
    }

    private static Verifier ed25519(byte[] spki) {
        // Decodes the point now, throwing IllegalArgumentException if it is not one.
        Ed25519PublicKeyParameters key = new Ed25519PublicKeyParameters(spki, Spki.ED25519.keyOffset(spki));
        // Called directly rather than through Ed25519Signer, which would copy the message into a buffer.
        return (message, signature) ->
                key.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    private static Verifier es256(byte[] spki) {
        int x = Spki.P256.keyOffset(spki);
        int y = x + P256_SCALAR_LENGTH;
        // createPoint rejects coordinates >= p; ECPublicKeyParameters rejects points off the curve.
        ECPublicKeyParameters key = new ECPublicKeyParameters(P256.getCurve().createPoint(
                new BigInteger(1, spki, x, P256_SCALAR_LENGTH),
                new BigInteger(1, spki, y, P256_SCALAR_LENGTH)), P256);
        return (message, signature) -> {
            ECDSASigner ecdsa = new ECDSASigner();
            ecdsa.init(false, key);
            // Returns false for r or s outside [1, n-1].
            return ecdsa.verifySignature(Digests.sha256(message),
                    new BigInteger(1, signature, 0, P256_SCALAR_LENGTH),
                    new BigInteger(1, signature, P256_SCALAR_LENGTH, P256_SCALAR_LENGTH));
        };
    }
}
