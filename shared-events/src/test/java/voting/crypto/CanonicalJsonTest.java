package voting.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalJsonTest {

    /** RFC 8785 §3.2.4: the UTF-8 bytes of the canonicalized §3.2.2 sample. */
    private static final byte[] PRIMITIVES_CANONICAL = Hex.decode(""
            + "7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a"
            + "5b3333333333333333332e333333333333332c31652b33302c342e352c302e3030322c31652d3237"
            + "5d2c22737472696e67223a22e282ac245c753030"
            + "30665c6e4127425c225c5c5c5c5c222f227d");

    @Test
    void rfc8785PrimitivesSample() throws Exception {
        String input = Vectors.text("rfc8785-primitives.json");
        assertThat(CanonicalJson.of(input)).isEqualTo(PRIMITIVES_CANONICAL);
        assertThat(CanonicalJson.of(Vectors.JSON.readTree(input))).isEqualTo(PRIMITIVES_CANONICAL);
        // §3.2.3, the same bytes as text.
        assertThat(new String(PRIMITIVES_CANONICAL, UTF_8)).isEqualTo("{\"literals\":[null,true,false],"
                + "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    /** RFC 8785 §3.2.3: properties sort by UTF-16 code units, so the emoji's surrogates come before U+FB33. */
    @Test
    void rfc8785SortingSample() throws Exception {
        byte[] canonical = CanonicalJson.of(Vectors.json("rfc8785-sorting.json"));
        List<String> values = new ArrayList<>();
        Vectors.JSON.readTree(canonical).elements().forEachRemaining(value -> values.add(value.asText()));
        assertThat(values).containsExactly("Carriage Return", "One", "Control",
                "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face",
                "Hebrew Letter Dalet With Dagesh");
    }

    /** RFC 8785 Appendix B: IEEE 754 bits and the number's JSON form. */
    @ParameterizedTest
    @CsvSource({
            "0000000000000000, 0",
            "8000000000000000, 0",
            "0000000000000001, 5e-324",
            "8000000000000001, -5e-324",
            "7fefffffffffffff, 1.7976931348623157e+308",
            "4340000000000000, 9007199254740992",
            "4430000000000000, 295147905179352830000",
            "44b52d02c7e14af5, 9.999999999999997e+22",
            "44b52d02c7e14af6, 1e+23",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "41b3de4355555557, 333333333.33333343",
            "becbf647612f3696, -0.0000033333333333333333",
            "43143ff3c1cb0959, 1424953923781206.2",
    })
    void rfc8785NumberSamples(String ieee754, String expected) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(ieee754, 16));
        String canonical = "[" + expected + "]";
        // Double.toString round-trips exactly, so the input is the very same double.
        assertThat(new String(CanonicalJson.of("[" + Double.toString(value) + "]"), UTF_8)).isEqualTo(canonical);
        JsonNode node = JsonNodeFactory.instance.arrayNode().add(value);
        assertThat(new String(CanonicalJson.of(node), UTF_8)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void rejectsNumbersJsonCannotHold(double value) {
        JsonNode node = JsonNodeFactory.instance.objectNode().put("n", value);
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.of(node));
    }

    @Test
    void sortsNestedObjectsAndKeepsArrayOrder() {
        String json = "{\"b\": {\"d\": 1, \"c\": \"x\"}, \"a\": [{\"z\": true, \"y\": null}, 2, 1]}";
        assertThat(new String(CanonicalJson.of(json), UTF_8))
                .isEqualTo("{\"a\":[{\"y\":null,\"z\":true},2,1],\"b\":{\"c\":\"x\",\"d\":1}}");
    }

    @Test
    void escapesExactlyWhatTheCanonicalizerEscapes() {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            every.append(c);
        }
        every.append("\u2028\u2029\u00ad\ufeff");
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("s", every.toString());
        node.putArray("a").add(true).add(false).addNull().add(-0.0).add(1e21).add(5e-324);
        assertThat(new String(CanonicalJson.of(node), UTF_8)).isEqualTo(new String(CanonicalJson.of(node.toString()), UTF_8));
    }

    @Test
    void jsonNodeAndTextGiveTheSameBytes() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("v", 1).put("électionId", "démo\t€😀")
                .put("big", 12345678901234567890.0);
        node.putObject("token").put("kid", "k").put("alg", "Ed25519");
        assertThat(CanonicalJson.of(node)).isEqualTo(CanonicalJson.of(node.toString()));
        assertThat(new String(CanonicalJson.of(node), UTF_8)).isEqualTo(
                "{\"big\":12345678901234567000,\"token\":{\"alg\":\"Ed25519\",\"kid\":\"k\"},\"v\":1,"
                        + "\"électionId\":\"démo\\t€😀\"}");
    }

    @Test
    void leavesOutOneMemberOfTheTopObjectOnly() {
        ObjectNode vote = JsonNodeFactory.instance.objectNode().put("v", 1).put("signature", "s").put("choice", "yes");
        vote.putObject("token").put("signature", "t").put("alg", "Ed25519");
        assertThat(new String(CanonicalJson.without(vote, "signature"), UTF_8))
                .isEqualTo("{\"choice\":\"yes\",\"token\":{\"alg\":\"Ed25519\",\"signature\":\"t\"},\"v\":1}");
        assertThat(CanonicalJson.without(vote, "absent")).isEqualTo(CanonicalJson.of(vote));
        assertThat(vote.has("signature")).isTrue();
    }

    @Test
    void rejectsLoneSurrogates() {
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.of("{\"a\":\"\\ud800\"}"));
        for (String lone : List.of("x\udc00", "\ud800", "\ud800x", "\udc00\ud800")) {
            JsonNode node = JsonNodeFactory.instance.objectNode().put("a", lone);
            assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.of(node));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1", "{\"a\":1,}", "[1 2]", "{\"a\":1,\"a\":2}", "{\"a\":nul}",
            "{}x", "\"top-level string\""})
    void rejectsWhatItCannotCanonicalize(String json) {
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.of(json));
    }
}
