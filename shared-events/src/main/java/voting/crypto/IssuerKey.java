package voting.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;

/**
 * An election's issuer key (RFC 9474 {@value IssuerPublicKey#ALG}). It issues ballot tokens either directly
 * ({@link #sign}) or blind ({@link #blindSign}); both yield signatures its {@link IssuerPublicKey} verifies.
 *
 * <p>Immutable and thread-safe. The RSA private operation always runs through {@link RSABlindedEngine}, whose
 * random blinding (unrelated to the blind-signature protocol) hides the key from timing attacks.
 */
public final class IssuerKey {

    private static final int GENERATED_MODULUS_BITS = 2048;
    private static final BigInteger PUBLIC_EXPONENT = BigInteger.valueOf(65537);
    /** Miller-Rabin certainty for 2048-bit keys, as BouncyCastle's JCA provider uses. */
    private static final int PRIME_CERTAINTY = 112;

    private final RSAPrivateCrtKeyParameters key;
    private final IssuerPublicKey publicKey;

    private IssuerKey(RSAPrivateCrtKeyParameters key) {
        this.key = key;
        this.publicKey = IssuerPublicKey.parse(spki(key)); // also enforces the minimum modulus size
    }

    /** A new 2048-bit key with public exponent 65537. */
    public static IssuerKey generate() {
        RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
        generator.init(new RSAKeyGenerationParameters(PUBLIC_EXPONENT, CryptoServicesRegistrar.getSecureRandom(),
                GENERATED_MODULUS_BITS, PRIME_CERTAINTY));
        return new IssuerKey((RSAPrivateCrtKeyParameters) generator.generateKeyPair().getPrivate());
    }

    /** @throws IllegalArgumentException if {@code pkcs8} is malformed, not RSA, or the key is too small */
    public static IssuerKey fromPkcs8(byte[] pkcs8) {
        return new IssuerKey(Pkcs8.decode(pkcs8, RSAPrivateCrtKeyParameters.class));
    }

    /**
     * Direct issuance: a randomized RSASSA-PSS signature, as the client would get by unblinding a blind signature.
     *
     * @param message prefix (32 random bytes) ‖ tokenMessage
     */
    public byte[] sign(byte[] message) {
        PSSSigner pss = IssuerPublicKey.pss(new RSABlindedEngine());
        pss.init(true, key); // the salt comes from CryptoServicesRegistrar's SecureRandom
        pss.update(message, 0, message.length);
        try {
            return pss.generateSignature();
        } catch (CryptoException e) {
            throw new IllegalStateException("RSA-PSS signing failed", e);
        }
    }

    /**
     * RFC 9474 §4.3 BlindSign: the raw RSA private operation (RSASP1) on a blinded message, checked before release.
     *
     * @param blindedMessage exactly as long as the modulus, and below it as an integer
     * @return the blind signature, as long as the modulus
     * @throws IllegalArgumentException if {@code blindedMessage} is out of range
     * @throws IllegalStateException    if the result does not verify
     */
    public byte[] blindSign(byte[] blindedMessage) {
        int length = publicKey.modulusLength();
        BigInteger m = new BigInteger(1, blindedMessage);
        if (blindedMessage.length != length || m.compareTo(key.getModulus()) >= 0) {
            throw new IllegalArgumentException("blinded message must be " + length + " bytes, below the modulus");
        }
        RSABlindedEngine rsa = new RSABlindedEngine();
        rsa.init(true, key); // the signing direction: output is padded to the modulus length
        byte[] signature = rsa.processBlock(blindedMessage, 0, length);
        // Steps 3-4: a faulty result (a CRT glitch, say) can reveal the private key, so it must never leave.
        if (!new BigInteger(1, signature).modPow(key.getPublicExponent(), key.getModulus()).equals(m)) {
            throw new IllegalStateException("blind signature does not verify");
        }
        return signature;
    }

    public IssuerPublicKey publicKey() {
        return publicKey;
    }

    /** DER SubjectPublicKeyInfo, rsaEncryption algorithm identifier. */
    public byte[] publicKeySpki() {
        return publicKey.spki();
    }

    public String kid() {
        return publicKey.kid();
    }

    public byte[] privateKeyPkcs8() {
        return Pkcs8.encode(key);
    }

    private static byte[] spki(RSAPrivateCrtKeyParameters key) {
        AlgorithmIdentifier rsaEncryption = new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption,
                DERNull.INSTANCE);
        try {
            return new SubjectPublicKeyInfo(rsaEncryption,
                    new RSAPublicKey(key.getModulus(), key.getPublicExponent())).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // encoding a well-formed key in memory does not fail
        }
    }
}
