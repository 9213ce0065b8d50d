package voting.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static voting.crypto.VoterPublicKeyTest.flipBit;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReceiptKeyTest {

    static Stream<Rfc8032> rfc8032() {
        return Rfc8032.vectors();
    }

    @ParameterizedTest
    @MethodSource("rfc8032")
    void signsRfc8032Vectors(Rfc8032 vector) {
        ReceiptKey key = ReceiptKey.fromPkcs8(vector.pkcs8());
        assertThat(key.publicKeySpki()).isEqualTo(vector.spki());
        assertThat(key.kid()).isEqualTo(Kid.of(vector.spki()));
        assertThat(key.sign(vector.message())).isEqualTo(vector.signature());
        // Receipts are verified through VoterPublicKey.
        VoterPublicKey verifier = VoterPublicKey.parse(ReceiptKey.ALG, key.publicKeySpki());
        assertThat(verifier.verify(vector.message(), vector.signature())).isTrue();
        assertThat(verifier.verify(vector.message(), flipBit(vector.signature(), 17))).isFalse();
    }

    @Test
    void generatedKeysSignAndSurvivePkcs8() {
        ReceiptKey key = ReceiptKey.generate();
        byte[] receipt = "{\"ballotId\":\"b\"}".getBytes(UTF_8);
        byte[] signature = key.sign(receipt);
        assertThat(VoterPublicKey.parse(ReceiptKey.ALG, key.publicKeySpki()).verify(receipt, signature)).isTrue();

        ReceiptKey restored = ReceiptKey.fromPkcs8(key.privateKeyPkcs8());
        assertThat(restored.publicKeySpki()).isEqualTo(key.publicKeySpki());
        assertThat(restored.kid()).isEqualTo(key.kid());
        assertThat(restored.sign(receipt)).isEqualTo(signature); // Ed25519 is deterministic
        assertThat(ReceiptKey.generate().kid()).isNotEqualTo(key.kid());
    }

    @Test
    void fromPkcs8RejectsOtherKeys() {
        byte[] rsa = IssuerKey.generate().privateKeyPkcs8();
        assertThatIllegalArgumentException().isThrownBy(() -> ReceiptKey.fromPkcs8(rsa));
        byte[] truncated = Arrays.copyOf(Rfc8032.vectors().findFirst().orElseThrow().pkcs8(), 40);
        assertThatIllegalArgumentException().isThrownBy(() -> ReceiptKey.fromPkcs8(truncated));
    }
}
