package voting.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Base64UrlTest {

    /** RFC 4648 §10 test vectors, without their padding. */
    @ParameterizedTest
    @CsvSource({"'',''", "f,Zg", "fo,Zm8", "foo,Zm9v", "foob,Zm9vYg", "fooba,Zm9vYmE", "foobar,Zm9vYmFy"})
    void rfc4648Vectors(String data, String encoded) {
        assertThat(Base64Url.encode(data.getBytes(US_ASCII))).isEqualTo(encoded);
        assertThat(Base64Url.decode(encoded)).isEqualTo(data.getBytes(US_ASCII));
    }

    @Test
    void usesTheUrlSafeAlphabet() {
        byte[] bytes = {(byte) 0xfb, (byte) 0xff}; // "+/8=" in standard base64
        assertThat(Base64Url.encode(bytes)).isEqualTo("-_8");
        assertThat(Base64Url.decode("-_8")).isEqualTo(bytes);
    }

    @Test
    void roundTripsEveryLength() {
        Random random = new Random(1);
        for (int length = 0; length <= 70; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            assertThat(Base64Url.decode(Base64Url.encode(bytes))).isEqualTo(bytes);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Zg==", "Zg=", "Zm8=", "=", // padding
            "Zm9v+", "Zm9v/", "Zm 9v", "Zm9v\n", "Zm9vé", // outside the url-safe alphabet
            "Z", "Zm9vY", // length 1 mod 4
            "Zh", "Zm9", "_x", "AAB" // unused bits set: "Zh" and "Zg" would both decode to "f"
    })
    void rejectsAnythingButTheCanonicalForm(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Base64Url.decode(text));
    }
}
