package voting.crypto;

import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;

/**
 * An election's issuer public key: RSA, verifying ballot tokens as RSASSA-PSS with SHA-384, MGF1-SHA-384 and a
 * 48-byte salt, which is what RFC 9474 {@value #ALG} signatures are. A token therefore verifies the same whether
 * it was issued blind or signed directly.
 *
 * <p>Immutable and thread-safe. Parsing checks the modulus thoroughly, so parse once per election and keep it.
 */
public final class IssuerPublicKey {

    public static final String ALG = "RSABSSA-SHA384-PSS-Randomized";
    public static final int MIN_MODULUS_BITS = 2048;
    private static final int SALT_LENGTH = 48;

    private final RSAKeyParameters key;
    private final byte[] spki;
    private final String kid;

    private IssuerPublicKey(RSAKeyParameters key, byte[] spki) {
        this.key = key;
        this.spki = spki;
        this.kid = Kid.of(spki);
    }

    /**
     * @param spkiDer DER SubjectPublicKeyInfo with the rsaEncryption algorithm identifier
     * @throws IllegalArgumentException if it is malformed, not DER, not RSA, or its modulus is under
     *                                  {@value #MIN_MODULUS_BITS} bits or unsound
     */
    public static IssuerPublicKey parse(byte[] spkiDer) {
        SubjectPublicKeyInfo info;
        byte[] der;
        RSAKeyParameters key;
        try {
            info = SubjectPublicKeyInfo.getInstance(spkiDer);
            der = info.getEncoded(ASN1Encoding.DER);
            RSAPublicKey rsa = RSAPublicKey.getInstance(info.parsePublicKey());
            // BouncyCastle validates the modulus here: odd, no small factors, composite, not oversized.
            key = new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed RSA SubjectPublicKeyInfo: " + e.getMessage(), e);
        }
        if (!PKCSObjectIdentifiers.rsaEncryption.equals(info.getAlgorithm().getAlgorithm())) {
            throw new IllegalArgumentException("issuer key must use the rsaEncryption algorithm identifier");
        }
        if (!Arrays.equals(der, spkiDer)) {
            throw new IllegalArgumentException("issuer key SPKI must be DER, so that it has one kid");
        }
        if (key.getModulus().bitLength() < MIN_MODULUS_BITS) {
            throw new IllegalArgumentException("issuer key must have at least " + MIN_MODULUS_BITS + " bits");
        }
        return new IssuerPublicKey(key, spkiDer.clone());
    }

    /** @return whether {@code signature} is a valid token signature over {@code message}; never throws */
    public boolean verify(byte[] message, byte[] signature) {
        // RFC 8017 §8.1.2 step 1: the signature is exactly as long as the modulus.
        if (signature.length != modulusLength()) {
            return false;
        }
        PSSSigner pss = pss(new RSAEngine());
        pss.init(false, key);
        pss.update(message, 0, message.length);
        return pss.verifySignature(signature); // false also for a signature >= the modulus
    }

    public String kid() {
        return kid;
    }

    public byte[] spki() {
        return spki.clone();
    }

    int modulusLength() {
        return (key.getModulus().bitLength() + 7) / 8;
    }

    /** The signature scheme, for signing and verifying alike. */
    static PSSSigner pss(AsymmetricBlockCipher rsa) {
        return new PSSSigner(rsa, new SHA384Digest(), SALT_LENGTH); // MGF1 uses the same digest
    }
}
