package voting.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parsing and verifying issuer keys that do not come from IssuerKey. */
class IssuerPublicKeyTest {

    private static final byte[] MESSAGE = "prefix and tokenMessage".getBytes(UTF_8);

    private static AsymmetricCipherKeyPair pair;
    private static IssuerPublicKey key;

    @BeforeAll
    static void keys() throws Exception {
        pair = rsa(2048);
        key = IssuerPublicKey.parse(spki(PKCSObjectIdentifiers.rsaEncryption, (RSAKeyParameters) pair.getPublic()));
    }

    /** The scheme is exactly PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt. */
    @Test
    void verifiesOnlyPssSha384WithSalt48() throws Exception {
        assertThat(key.verify(MESSAGE, pss(new SHA384Digest(), 48))).isTrue();
        assertThat(key.verify(MESSAGE, pss(new SHA384Digest(), 32))).isFalse();
        assertThat(key.verify(MESSAGE, pss(new SHA384Digest(), 0))).isFalse();
        assertThat(key.verify(MESSAGE, pss(new SHA256Digest(), 48))).isFalse();
    }

    @Test
    void badSignaturesAreFalseNeverExceptions() {
        BigInteger modulus = ((RSAKeyParameters) pair.getPublic()).getModulus();
        assertThat(key.verify(MESSAGE, new byte[0])).isFalse();
        assertThat(key.verify(MESSAGE, new byte[256])).isFalse();
        assertThat(key.verify(MESSAGE, new byte[257])).isFalse();
        assertThat(key.verify(MESSAGE, BigIntegers.asUnsignedByteArray(256, modulus))).isFalse();
        byte[] allOnes = new byte[256];
        Arrays.fill(allOnes, (byte) 0xff);
        assertThat(key.verify(MESSAGE, allOnes)).isFalse();
    }

    @Test
    void rejectsSmallModuli() throws Exception {
        byte[] rsa1024 = spki(PKCSObjectIdentifiers.rsaEncryption, (RSAKeyParameters) rsa(1024).getPublic());
        assertThatIllegalArgumentException().isThrownBy(() -> IssuerPublicKey.parse(rsa1024));
    }

    @Test
    void rejectsOtherAlgorithmIdentifiers() throws Exception {
        byte[] pssOid = spki(PKCSObjectIdentifiers.id_RSASSA_PSS, (RSAKeyParameters) pair.getPublic());
        assertThatIllegalArgumentException().isThrownBy(() -> IssuerPublicKey.parse(pssOid));
        byte[] ed25519 = Rfc8032.vectors().findFirst().orElseThrow().spki();
        assertThatIllegalArgumentException().isThrownBy(() -> IssuerPublicKey.parse(ed25519));
    }

    @Test
    void rejectsMalformedInput() throws Exception {
        byte[] good = spki(PKCSObjectIdentifiers.rsaEncryption, (RSAKeyParameters) pair.getPublic());
        assertThatIllegalArgumentException().isThrownBy(() -> IssuerPublicKey.parse(new byte[0]));
        assertThatIllegalArgumentException().isThrownBy(() -> IssuerPublicKey.parse(Arrays.copyOf(good, 100)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IssuerPublicKey.parse(Arrays.copyOf(good, good.length + 1)));
        byte[] evenModulus = good.clone();
        evenModulus[evenModulus.length - 6] &= (byte) 0xfe; // the modulus's last byte precedes 02 03 01 00 01
        assertThatIllegalArgumentException().isThrownBy(() -> IssuerPublicKey.parse(evenModulus));
        byte[] random = new byte[good.length];
        new SecureRandom().nextBytes(random);
        assertThatIllegalArgumentException().isThrownBy(() -> IssuerPublicKey.parse(random));
    }

    /** A BER length form (0x81 0x0d instead of 0x0d) decodes to the same key, but would give it a second kid. */
    @Test
    void rejectsNonDerEncodings() throws Exception {
        byte[] good = spki(PKCSObjectIdentifiers.rsaEncryption, (RSAKeyParameters) pair.getPublic());
        // 30 82 01 22 | 30 0d ...: lengthen the AlgorithmIdentifier's length field by one byte.
        byte[] ber = new byte[good.length + 1];
        System.arraycopy(good, 0, ber, 0, 5);
        ber[3] = (byte) (good[3] + 1);
        ber[5] = (byte) 0x81;
        System.arraycopy(good, 5, ber, 6, good.length - 5);
        assertThat(SubjectPublicKeyInfo.getInstance(ber).getEncoded(ASN1Encoding.DER)).isEqualTo(good);
        assertThatIllegalArgumentException().isThrownBy(() -> IssuerPublicKey.parse(ber));
    }

    private static byte[] pss(Digest digest, int saltLength) throws Exception {
        PSSSigner signer = new PSSSigner(new RSAEngine(), digest, saltLength);
        signer.init(true, pair.getPrivate());
        signer.update(MESSAGE, 0, MESSAGE.length);
        return signer.generateSignature();
    }

    private static AsymmetricCipherKeyPair rsa(int bits) {
        RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
        generator.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), new SecureRandom(), bits, 80));
        return generator.generateKeyPair();
    }

    private static byte[] spki(ASN1ObjectIdentifier algorithm, RSAKeyParameters rsa)
            throws Exception {
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(algorithm, DERNull.INSTANCE),
                new RSAPublicKey(rsa.getModulus(), rsa.getExponent())).getEncoded(ASN1Encoding.DER);
    }
}
