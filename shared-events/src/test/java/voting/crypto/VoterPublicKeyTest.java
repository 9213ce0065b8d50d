package voting.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed448KeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed448KeyGenerationParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class VoterPublicKeyTest {

    // RFC 6979 A.2.5: the P-256 key and its SHA-256 signatures of "sample" and "test".
    private static final String P256_X = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6";
    private static final String P256_Y = "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";
    private static final byte[] P256_SPKI = p256Spki(P256_X, P256_Y);
    private static final byte[] SAMPLE = "sample".getBytes(US_ASCII);
    private static final byte[] SAMPLE_SIGNATURE = Hex.decode(
            "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                    + "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
    private static final byte[] TEST = "test".getBytes(US_ASCII);
    private static final byte[] TEST_SIGNATURE = Hex.decode(
            "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367"
                    + "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083");
    private static final BigInteger P256_ORDER = CustomNamedCurves.getByName("P-256").getN();
    private static final BigInteger P256_PRIME = CustomNamedCurves.getByName("P-256").getCurve().getField()
            .getCharacteristic();

    static Stream<Rfc8032> rfc8032() {
        return Rfc8032.vectors();
    }

    @ParameterizedTest
    @MethodSource("rfc8032")
    void ed25519VerifiesRfc8032Vectors(Rfc8032 vector) {
        VoterPublicKey key = VoterPublicKey.parse("Ed25519", vector.spki());
        assertThat(key.alg()).isEqualTo(VoterPublicKey.ED25519);
        assertThat(key.verify(vector.message(), vector.signature())).isTrue();
        assertThat(key.verify(vector.message(), flipBit(vector.signature(), 0))).isFalse();
        assertThat(key.verify(vector.message(), flipBit(vector.signature(), 63 * 8))).isFalse();
        assertThat(key.verify(Arrays.copyOf(vector.message(), vector.message().length + 1), vector.signature()))
                .isFalse();
        assertWrongLengthSignaturesFail(key, vector.message(), vector.signature());
    }

    @Test
    void es256VerifiesRfc6979Vectors() {
        VoterPublicKey key = VoterPublicKey.parse("ES256", P256_SPKI);
        assertThat(key.alg()).isEqualTo(VoterPublicKey.ES256);
        assertThat(key.verify(SAMPLE, SAMPLE_SIGNATURE)).isTrue();
        assertThat(key.verify(TEST, TEST_SIGNATURE)).isTrue();
        assertThat(key.verify(TEST, SAMPLE_SIGNATURE)).isFalse();
        assertThat(key.verify(SAMPLE, flipBit(SAMPLE_SIGNATURE, 7))).isFalse();
        assertThat(key.verify(SAMPLE, flipBit(SAMPLE_SIGNATURE, 32 * 8))).isFalse();
        assertWrongLengthSignaturesFail(key, SAMPLE, SAMPLE_SIGNATURE);
    }

    /** Web Crypto does not normalize s, so both s and n - s must verify. */
    @Test
    void es256AcceptsEitherFormOfS() {
        BigInteger s = new BigInteger(1, SAMPLE_SIGNATURE, 32, 32);
        assertThat(VoterPublicKey.parse("ES256", P256_SPKI).verify(SAMPLE, rs(r(SAMPLE_SIGNATURE),
                P256_ORDER.subtract(s)))).isTrue();
    }

    @Test
    void es256RejectsScalarsOutOfRange() {
        VoterPublicKey key = VoterPublicKey.parse("ES256", P256_SPKI);
        BigInteger r = r(SAMPLE_SIGNATURE);
        BigInteger s = new BigInteger(1, SAMPLE_SIGNATURE, 32, 32);
        assertThat(key.verify(SAMPLE, rs(BigInteger.ZERO, s))).isFalse();
        assertThat(key.verify(SAMPLE, rs(r, BigInteger.ZERO))).isFalse();
        BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        assertThat(key.verify(SAMPLE, rs(max, s))).isFalse();
        assertThat(key.verify(SAMPLE, rs(r, max))).isFalse();
        assertThat(key.verify(SAMPLE, rs(P256_ORDER, s))).isFalse();
        assertThat(key.verify(SAMPLE, rs(r, P256_ORDER))).isFalse();
    }

    @Test
    void es256RejectsDerEncodedSignatures() {
        byte[] der = Hex.decode("3046022100" + Hex.toHexString(SAMPLE_SIGNATURE, 0, 32)
                + "022100" + Hex.toHexString(SAMPLE_SIGNATURE, 32, 32));
        assertThat(VoterPublicKey.parse("ES256", P256_SPKI).verify(SAMPLE, der)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"EdDSA", "ed25519", "ES384", "RS256", ""})
    void rejectsUnknownAlgorithms(String alg) {
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse(alg, P256_SPKI));
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse(alg, ed25519Spki()));
    }

    @Test
    void rejectsNullAlgorithmAndKey() {
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse(null, P256_SPKI));
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse("Ed25519", null));
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse("ES256", null));
    }

    @Test
    void rejectsKeysOfTheOtherAlgorithm() {
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse("Ed25519", P256_SPKI));
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse("ES256", ed25519Spki()));
    }

    @Test
    void rejectsOtherCurves() throws Exception {
        ECKeyPairGenerator p384 = new ECKeyPairGenerator();
        p384.init(new ECKeyGenerationParameters(new ECDomainParameters(CustomNamedCurves.getByName("P-384")),
                new SecureRandom()));
        byte[] p384Spki = spki(p384.generateKeyPair());
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse("ES256", p384Spki));

        Ed448KeyPairGenerator ed448 = new Ed448KeyPairGenerator();
        ed448.init(new Ed448KeyGenerationParameters(new SecureRandom()));
        byte[] ed448Spki = spki(ed448.generateKeyPair());
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse("Ed25519", ed448Spki));
    }

    @Test
    void rejectsMalformedSpki() {
        byte[] good = P256_SPKI;
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse("ES256", new byte[0]));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> VoterPublicKey.parse("ES256", Arrays.copyOf(good, good.length - 1)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> VoterPublicKey.parse("ES256", Arrays.copyOf(good, good.length + 1)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> VoterPublicKey.parse("ES256", flipBit(good, 10 * 8))); // in the curve OID
    }

    @Test
    void rejectsP256PointsNotOnTheCurve() {
        String badY = new BigInteger(P256_Y, 16).add(BigInteger.ONE).toString(16);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> VoterPublicKey.parse("ES256", p256Spki(P256_X, badY)));
        String pX = P256_PRIME.toString(16); // a coordinate equal to the field prime
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse("ES256", p256Spki(pX, P256_Y)));
        String zero = "00".repeat(32);
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse("ES256", p256Spki(zero, zero)));
    }

    @Test
    void rejectsCompressedP256Points() {
        byte[] compressed = Hex.decode("3039301306072a8648ce3d020106082a8648ce3d030107032200"
                + (new BigInteger(P256_Y, 16).testBit(0) ? "03" : "02") + P256_X);
        assertThatIllegalArgumentException().isThrownBy(() -> VoterPublicKey.parse("ES256", compressed));
    }

    /** y = 2 has no x on edwards25519: (y² - 1) / (d y² + 1) is not a square mod 2^255 - 19. */
    @Test
    void rejectsEd25519EncodingsThatAreNoPoint() {
        byte[] y2 = new byte[32];
        y2[0] = 2; // little-endian
        assertThatIllegalArgumentException()
                .isThrownBy(() -> VoterPublicKey.parse("Ed25519", Spki.ED25519.wrap(y2)));
    }

    /** Hostile input: whatever the bytes, parsing either succeeds or throws IllegalArgumentException. */
    @Test
    void mangledKeysOnlyEverFailWithIllegalArgumentException() {
        Random random = new Random(42);
        for (String alg : new String[] {"Ed25519", "ES256"}) {
            byte[] valid = alg.equals("Ed25519") ? ed25519Spki() : P256_SPKI;
            for (int i = 0; i < 5_000; i++) {
                byte[] mangled = mangle(valid, random);
                Throwable thrown = catchThrowable(() -> VoterPublicKey.parse(alg, mangled));
                if (thrown != null) {
                    assertThat(thrown).as(Hex.toHexString(mangled)).isInstanceOf(IllegalArgumentException.class);
                } else if (!Arrays.equals(mangled, valid)) {
                    assertThat(VoterPublicKey.parse(alg, mangled).verify(SAMPLE, SAMPLE_SIGNATURE)).isFalse();
                }
            }
        }
    }

    private static byte[] mangle(byte[] valid, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> flipBit(valid, random.nextInt(valid.length * 8));
            case 1 -> Arrays.copyOf(valid, random.nextInt(valid.length * 2));
            case 2 -> {
                byte[] bytes = valid.clone();
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                yield bytes;
            }
            default -> {
                byte[] bytes = new byte[random.nextInt(120)];
                random.nextBytes(bytes);
                yield bytes;
            }
        };
    }

    private static void assertWrongLengthSignaturesFail(VoterPublicKey key, byte[] message, byte[] signature) {
        assertThat(key.verify(message, new byte[0])).isFalse();
        assertThat(key.verify(message, Arrays.copyOf(signature, 63))).isFalse();
        assertThat(key.verify(message, Arrays.copyOf(signature, 65))).isFalse();
        assertThat(key.verify(message, Arrays.copyOf(signature, 128))).isFalse();
    }

    private static byte[] ed25519Spki() {
        return Rfc8032.vectors().findFirst().orElseThrow().spki();
    }

    private static byte[] p256Spki(String xHex, String yHex) {
        return Hex.decode("3059301306072a8648ce3d020106082a8648ce3d030107034200" + "04"
                + Hex.toHexString(BigIntegers.asUnsignedByteArray(32, new BigInteger(xHex, 16)))
                + Hex.toHexString(BigIntegers.asUnsignedByteArray(32, new BigInteger(yHex, 16))));
    }

    private static byte[] spki(AsymmetricCipherKeyPair pair) throws Exception {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic());
        return info.getEncoded();
    }

    private static BigInteger r(byte[] signature) {
        return new BigInteger(1, signature, 0, 32);
    }

    private static byte[] rs(BigInteger r, BigInteger s) {
        byte[] signature = new byte[64];
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, r), 0, signature, 0, 32);
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, s), 0, signature, 32, 32);
        return signature;
    }

    static byte[] flipBit(byte[] bytes, int bit) {
        byte[] flipped = bytes.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        return flipped;
    }
}
