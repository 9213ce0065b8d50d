package voting.crypto;

import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The receipt signing key ({@value #ALG}). Receipts are verified with
 * {@code VoterPublicKey.parse(ReceiptKey.ALG, spki).verify(message, signature)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ReceiptKey {

    public static final String ALG = VoterPublicKey.ED25519;

    private final Ed25519PrivateKeyParameters key;
    private final Ed25519PublicKeyParameters publicKey;
    private final byte[] spki;
    private final String kid;

    private ReceiptKey(Ed25519PrivateKeyParameters key) {
        this.key = key;
        this.publicKey = key.generatePublicKey();
        this.spki = Spki.ED25519.wrap(publicKey.getEncoded());
        this.kid = Kid.of(spki);
    }

    public static ReceiptKey generate() {
        return new ReceiptKey(new Ed25519PrivateKeyParameters(CryptoServicesRegistrar.getSecureRandom()));
    }

    /** @throws IllegalArgumentException if {@code pkcs8} is malformed or not an Ed25519 key */
    public static ReceiptKey fromPkcs8(byte[] pkcs8) {
        return new ReceiptKey(Pkcs8.decode(pkcs8, Ed25519PrivateKeyParameters.class));
    }

    public byte[] sign(byte[] message) {
        byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
        // Passing the public key saves deriving it again for every signature.
        key.sign(Ed25519.Algorithm.Ed25519, publicKey, null, message, 0, message.length, signature, 0);
        return signature;
    }

    /** DER SubjectPublicKeyInfo (RFC 8410). */
    public byte[] publicKeySpki() {
        return spki.clone();
    }

    public String kid() {
        return kid;
    }

    public byte[] privateKeyPkcs8() {
        return Pkcs8.encode(key);
    }
}
