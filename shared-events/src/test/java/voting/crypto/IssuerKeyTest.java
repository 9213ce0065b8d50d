package voting.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static voting.crypto.VoterPublicKeyTest.flipBit;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** IssuerKey and IssuerPublicKey against RFC 9474 Appendix A, and their own round trips. */
class IssuerKeyTest {

    private static final AlgorithmIdentifier RSA_ENCRYPTION =
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);

    private static final JsonNode RFC9474 = Vectors.json("rfc9474-rsabssa-sha384-pss-randomized.json");
    private static final BigInteger N = number("n");
    private static final BigInteger E = number("e");

    private static IssuerKey rfcKey;
    private static IssuerKey generated;

    @BeforeAll
    static void keys() throws Exception {
        BigInteger p = number("p");
        BigInteger q = number("q");
        BigInteger d = number("d");
        RSAPrivateKey rsa = new RSAPrivateKey(N, E, d, p, q, d.mod(p.subtract(BigInteger.ONE)),
                d.mod(q.subtract(BigInteger.ONE)), q.modInverse(p));
        rfcKey = IssuerKey.fromPkcs8(new PrivateKeyInfo(RSA_ENCRYPTION, rsa).getEncoded());
        generated = IssuerKey.generate();
    }

    @Test
    void rfc9474SignatureVerifies() throws Exception {
        IssuerPublicKey key = IssuerPublicKey.parse(rfcSpki());
        byte[] preparedMessage = bytes("prepared_msg");
        byte[] signature = bytes("sig");
        assertThat(preparedMessage).isEqualTo(concat(bytes("msg_prefix"), bytes("msg")));
        assertThat(key.verify(preparedMessage, signature)).isTrue();
        assertThat(key.verify(preparedMessage, flipBit(signature, 100))).isFalse();
        assertThat(key.verify(flipBit(preparedMessage, 3), signature)).isFalse();
        assertThat(key.verify(bytes("msg"), signature)).isFalse(); // the randomized variant signs the prefix too
    }

    @Test
    void rfc9474BlindSign() {
        byte[] blindSignature = rfcKey.blindSign(bytes("blinded_msg"));
        assertThat(blindSignature).isEqualTo(bytes("blind_sig"));
        // Finalize as the client would: unblind with inv, and the result is the published signature.
        BigInteger unblinded = new BigInteger(1, blindSignature).multiply(number("inv")).mod(N);
        byte[] signature = BigIntegers.asUnsignedByteArray(N.bitLength() / 8, unblinded);
        assertThat(signature).isEqualTo(bytes("sig"));
        assertThat(rfcKey.publicKey().verify(bytes("prepared_msg"), signature)).isTrue();
        assertThat(rfcKey.blindSign(flipBit(bytes("blinded_msg"), 9))).isNotEqualTo(bytes("blind_sig"));
    }

    @Test
    void blindSignRejectsMessagesOutOfRange() {
        byte[] blinded = bytes("blinded_msg");
        assertThatIllegalArgumentException().isThrownBy(() -> rfcKey.blindSign(BigIntegers.asUnsignedByteArray(
                blinded.length, N)));
        byte[] allOnes = new byte[blinded.length];
        Arrays.fill(allOnes, (byte) 0xff);
        assertThatIllegalArgumentException().isThrownBy(() -> rfcKey.blindSign(allOnes));
        assertThatIllegalArgumentException().isThrownBy(() -> rfcKey.blindSign(Arrays.copyOf(blinded, 511)));
        assertThatIllegalArgumentException().isThrownBy(() -> rfcKey.blindSign(Arrays.copyOf(blinded, 513)));
    }

    @Test
    void publishesTheSpkiAndKidOfItsModulus() throws Exception {
        assertThat(rfcKey.publicKeySpki()).isEqualTo(rfcSpki());
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(rfcSpki());
        assertThat(rfcKey.kid())
                .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha256, 16)))
                .isEqualTo(IssuerPublicKey.parse(rfcSpki()).kid());
    }

    @Test
    void directIssuanceIsRandomizedPss() {
        byte[] message = "prefix ‖ tokenMessage".getBytes(UTF_8);
        byte[] first = generated.sign(message);
        byte[] second = generated.sign(message);
        assertThat(first).hasSize(256).isNotEqualTo(second); // a fresh 48-byte salt each time
        IssuerPublicKey key = IssuerPublicKey.parse(generated.publicKeySpki());
        assertThat(key.verify(message, first)).isTrue();
        assertThat(key.verify(message, second)).isTrue();
        assertThat(key.verify(message, flipBit(first, 2040))).isFalse();
        assertThat(rfcKey.publicKey().verify(message, first)).isFalse();
    }

    @Test
    void generatesRsa2048WithExponent65537() {
        RSAPublicKey rsa = RSAPublicKey.getInstance(
                SubjectPublicKeyInfo.getInstance(generated.publicKeySpki()).getPublicKeyData().getOctets());
        assertThat(rsa.getModulus().bitLength()).isEqualTo(2048);
        assertThat(rsa.getPublicExponent()).isEqualTo(65537);
        assertThat(IssuerKey.generate().kid()).isNotEqualTo(generated.kid());
    }

    @Test
    void survivesPkcs8RoundTrip() {
        IssuerKey restored = IssuerKey.fromPkcs8(generated.privateKeyPkcs8());
        assertThat(restored.kid()).isEqualTo(generated.kid());
        assertThat(restored.publicKeySpki()).isEqualTo(generated.publicKeySpki());
        byte[] message = {1, 2, 3};
        assertThat(generated.publicKey().verify(message, restored.sign(message))).isTrue();
        assertThat(IssuerKey.fromPkcs8(rfcKey.privateKeyPkcs8()).blindSign(bytes("blinded_msg")))
                .isEqualTo(bytes("blind_sig"));
    }

    @Test
    void fromPkcs8RejectsOtherKeys() {
        byte[] ed25519 = Rfc8032.vectors().findFirst().orElseThrow().pkcs8();
        assertThatIllegalArgumentException().isThrownBy(() -> IssuerKey.fromPkcs8(ed25519));
        assertThatIllegalArgumentException().isThrownBy(() -> IssuerKey.fromPkcs8(new byte[] {0x30, 0x00}));
        assertThatIllegalArgumentException().isThrownBy(() -> IssuerKey.fromPkcs8(new byte[0]));
    }

    private static byte[] rfcSpki() throws Exception {
        return new SubjectPublicKeyInfo(RSA_ENCRYPTION, new RSAPublicKey(N, E)).getEncoded();
    }

    private static byte[] bytes(String field) {
        return Hex.decode(RFC9474.get(field).asText());
    }

    private static BigInteger number(String field) {
        return new BigInteger(1, bytes(field));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
