package voting.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class KidTest {

    /** Expected value computed with Node's Web Crypto: b64u(SHA-256(spki)[0..16]). */
    @Test
    void kidOfTheRfc8032Test1PublicKey() {
        byte[] spki = Hex.decode("302a300506032b6570032100"
                + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(Kid.of(spki)).isEqualTo("BuP9j9opu2CrWVV95h7bCg");
    }
}
