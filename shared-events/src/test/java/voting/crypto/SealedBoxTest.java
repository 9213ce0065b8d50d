package voting.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static voting.crypto.VoterPublicKeyTest.flipBit;

import java.util.Arrays;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class SealedBoxTest {

    private static final byte[] MASTER_KEY = Hex.decode(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] SECRET = "a PKCS#8 private key".getBytes(UTF_8);
    private static final byte[] KID = "BuP9j9opu2CrWVV95h7bCg".getBytes(UTF_8);

    /**
     * McGrew and Viega, "The Galois/Counter Mode of Operation", test case 16 (AES-256, 60-byte plaintext, 20 bytes
     * of associated data), laid out as a box: nonce ‖ ciphertext ‖ tag.
     */
    @Test
    void opensGcmSpecTestCase16() {
        SealedBox box = new SealedBox(Hex.decode(
                "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"));
        byte[] sealed = Hex.decode("cafebabefacedbaddecaf888"
                + "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
                + "76fc6ece0f4e1768cddf8853bb2d551b");
        byte[] associatedData = Hex.decode("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        assertThat(box.open(sealed, associatedData)).isEqualTo(Hex.decode(
                "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"));
    }

    @Test
    void roundTripsWithAFreshNonceEachTime() {
        SealedBox box = new SealedBox(MASTER_KEY);
        byte[] first = box.seal(SECRET, KID);
        byte[] second = box.seal(SECRET, KID);
        assertThat(first).hasSize(12 + SECRET.length + 16);
        assertThat(Arrays.copyOf(first, 12)).isNotEqualTo(Arrays.copyOf(second, 12));
        assertThat(box.open(first, KID)).isEqualTo(SECRET);
        assertThat(box.open(second, KID)).isEqualTo(SECRET);
        assertThat(box.open(box.seal(new byte[0], KID), KID)).isEmpty();
    }

    @Test
    void everyAlteredBitIsDetected() {
        SealedBox box = new SealedBox(MASTER_KEY);
        byte[] sealed = box.seal(SECRET, KID);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] altered = flipBit(sealed, bit);
            assertThatIllegalArgumentException().as("bit %d", bit).isThrownBy(() -> box.open(altered, KID));
        }
        assertThatIllegalArgumentException()
                .isThrownBy(() -> box.open(Arrays.copyOf(sealed, sealed.length - 1), KID));
        assertThatIllegalArgumentException().isThrownBy(() -> box.open(new byte[27], KID));
    }

    @Test
    void opensOnlyWithTheSameKeyAndAssociatedData() {
        byte[] sealed = new SealedBox(MASTER_KEY).seal(SECRET, KID);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SealedBox(MASTER_KEY).open(sealed, "another kid".getBytes(UTF_8)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SealedBox(flipBit(MASTER_KEY, 0)).open(sealed, KID));
        assertThat(new SealedBox(MASTER_KEY.clone()).open(sealed, KID)).isEqualTo(SECRET);
    }

    @Test
    void requiresA256BitMasterKey() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SealedBox(new byte[16]));
        assertThatIllegalArgumentException().isThrownBy(() -> new SealedBox(new byte[33]));
    }
}
