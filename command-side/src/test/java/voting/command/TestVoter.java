package voting.command;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.BigIntegers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;

/** A voter's device key for tests: Ed25519 or ES256, signing as the contract says (ES256 in r‖s form). */
public final class TestVoter {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String alg;
    private final AsymmetricCipherKeyPair keyPair;

    private TestVoter(String alg, AsymmetricCipherKeyPair keyPair) {
        this.alg = alg;
        this.keyPair = keyPair;
    }

    public static TestVoter ed25519() {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(RANDOM);
        return new TestVoter("Ed25519", new AsymmetricCipherKeyPair(key.generatePublicKey(), key));
    }

    public static TestVoter es256() {
        // Named-curve parameters, so that the SPKI names P-256 by its OID as Web Crypto does.
        X9ECParameters curve = ECNamedCurveTable.getByName("P-256");
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, curve), RANDOM));
        return new TestVoter("ES256", generator.generateKeyPair());
    }

    public String alg() {
        return alg;
    }

    public byte[] spki() {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic()).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] sign(byte[] message) {
        if (alg.equals("Ed25519")) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, keyPair.getPrivate());
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        }
        SHA256Digest digest = new SHA256Digest();
        digest.update(message, 0, message.length);
        byte[] hash = new byte[32];
        digest.doFinal(hash, 0);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, (ECPrivateKeyParameters) keyPair.getPrivate());
        var rs = signer.generateSignature(hash);
        byte[] signature = new byte[64];
        BigIntegers.asUnsignedByteArray(rs[0], signature, 0, 32);
        BigIntegers.asUnsignedByteArray(rs[1], signature, 32, 32);
        return signature;
    }
}
