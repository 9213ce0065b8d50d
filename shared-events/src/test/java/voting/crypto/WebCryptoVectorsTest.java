package voting.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Votes made in JavaScript with Web Crypto (client-web: node scripts/make-webcrypto-votes.mjs ../shared-events/src/test/resources/vectors/webcrypto-votes.json) must verify here, byte for byte:
 * canonical JSON, both voter algorithms, the issuer's RSA-PSS token signature, the kid and the voteHash.
 */
class WebCryptoVectorsTest {

    private static final JsonNode VECTORS = Vectors.json("webcrypto-votes.json");
    private static final IssuerPublicKey ISSUER =
            IssuerPublicKey.parse(Base64Url.decode(VECTORS.at("/issuer/spki").asText()));

    static Stream<JsonNode> votes() {
        List<JsonNode> votes = new ArrayList<>();
        VECTORS.get("votes").forEach(votes::add);
        return votes.stream();
    }

    @Test
    void coversBothVoterAlgorithms() {
        assertThat(votes().map(v -> v.at("/vote/token/alg").asText()))
                .filteredOn("Ed25519"::equals).hasSizeGreaterThanOrEqualTo(2);
        assertThat(votes().map(v -> v.at("/vote/token/alg").asText()))
                .filteredOn("ES256"::equals).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void issuerKidFollowsTheKidRule() {
        assertThat(VECTORS.at("/issuer/alg").asText()).isEqualTo(IssuerPublicKey.ALG);
        assertThat(ISSUER.kid()).isEqualTo(VECTORS.at("/issuer/kid").asText());
    }

    @ParameterizedTest
    @MethodSource("votes")
    void voteVerifies(JsonNode vector) {
        ObjectNode vote = (ObjectNode) vector.get("vote");
        JsonNode token = vote.get("token");
        byte[] withoutSignature = CanonicalJson.of(vote.deepCopy().without("signature"));
        assertThat(Base64Url.encode(withoutSignature)).isEqualTo(vector.get("canonicalWithoutSignature").asText());

        VoterPublicKey voter = VoterPublicKey.parse(token.get("alg").asText(),
                Base64Url.decode(token.get("publicKey").asText()));
        byte[] signature = Base64Url.decode(vote.get("signature").asText());
        assertThat(voter.verify(withoutSignature, signature)).isTrue();

        assertThat(token.get("kid").asText()).isEqualTo(ISSUER.kid());
        byte[] prefix = Base64Url.decode(token.get("prefix").asText());
        assertThat(prefix).hasSize(32);
        assertThat(ISSUER.verify(concat(prefix, tokenMessage(vote)),
                Base64Url.decode(token.get("signature").asText()))).isTrue();

        assertThat(Base64Url.encode(Digests.sha256(CanonicalJson.of(vote))))
                .isEqualTo(vector.get("voteHash").asText());
    }

    @ParameterizedTest
    @MethodSource("votes")
    void tamperedVoteFails(JsonNode vector) {
        ObjectNode vote = vector.get("vote").deepCopy();
        vote.put("choice", vote.get("choice").asText() + "!");
        JsonNode token = vote.get("token");
        VoterPublicKey voter = VoterPublicKey.parse(token.get("alg").asText(),
                Base64Url.decode(token.get("publicKey").asText()));
        assertThat(voter.verify(CanonicalJson.of(vote.deepCopy().without("signature")),
                Base64Url.decode(vote.get("signature").asText()))).isFalse();

        ObjectNode otherElection = vote.deepCopy().put("electionId", "another-election");
        assertThat(ISSUER.verify(concat(Base64Url.decode(token.get("prefix").asText()), tokenMessage(otherElection)),
                Base64Url.decode(token.get("signature").asText()))).isFalse();
    }

    /** tokenMessage = canonical bytes of {"alg", "electionId", "publicKey"}. */
    private static byte[] tokenMessage(JsonNode vote) {
        return CanonicalJson.of(JsonNodeFactory.instance.objectNode()
                .put("alg", vote.at("/token/alg").asText())
                .put("electionId", vote.get("electionId").asText())
                .put("publicKey", vote.at("/token/publicKey").asText()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
