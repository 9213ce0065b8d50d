package voting.command.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import voting.command.IntakeTest;
import voting.command.TestVoter;
import voting.command.VotingApi;
import voting.crypto.Base64Url;
import voting.crypto.IssuerPublicKey;
import voting.events.VoteFormat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Ballot tokens: direct and blind issuance, credentials used once, and the problems of each. */
@IntakeTest
class BallotTokenTest {

    @Autowired
    WebTestClient http;

    VotingApi api;

    @BeforeEach
    void setUp() {
        api = new VotingApi(http);
    }

    @Test
    void a_directly_issued_token_verifies_with_the_published_issuer_key() {
        TestVoter voter = TestVoter.es256();
        JsonNode election = api.createElection(Map.of());
        String electionId = election.get("id").asText();

        JsonNode token = api.token(electionId, voter);

        IssuerPublicKey issuer = IssuerPublicKey.parse(Base64Url.decode(election.at("/keys/issuer/spki").asText()));
        byte[] tokenMessage = VoteFormat.tokenMessage("ES256", electionId, Base64Url.encode(voter.spki()));
        byte[] signed = VoteFormat.signedTokenBytes(Base64Url.decode(token.get("prefix").asText()), tokenMessage);
        assertThat(token.get("kid").asText()).isEqualTo(election.at("/keys/issuer/kid").asText());
        assertThat(token.get("alg").asText()).isEqualTo("ES256");
        assertThat(issuer.verify(signed, Base64Url.decode(token.get("signature").asText()))).isTrue();
        assertThat(issuer.verify(VoteFormat.signedTokenBytes(new byte[32], tokenMessage),
                Base64Url.decode(token.get("signature").asText()))).isFalse();
    }

    @Test
    void a_blind_signature_is_the_issuer_key_applied_to_the_blinded_message() throws Exception {
        JsonNode election = api.createElection(Map.of());
        RSAKeyParameters issuer = (RSAKeyParameters) PublicKeyFactory.createKey(
                SubjectPublicKeyInfo.getInstance(Base64Url.decode(election.at("/keys/issuer/spki").asText())));
        BigInteger blinded = new BigInteger(issuer.getModulus().bitLength() - 1, new SecureRandom());
        byte[] blindedMessage = BigIntegers.asUnsignedByteArray(256, blinded);

        JsonNode answer = api.requestToken(election.get("id").asText(),
                        JsonNodeFactory.instance.objectNode()
                                .put("blindedMessage", Base64Url.encode(blindedMessage)))
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();

        BigInteger signature = new BigInteger(1, Base64Url.decode(answer.get("blindSignature").asText()));
        assertThat(signature.modPow(issuer.getExponent(), issuer.getModulus())).isEqualTo(blinded);
    }

    @Test
    void a_credential_buys_one_token_and_the_same_request_gets_the_same_answer() {
        String electionId = api.createElection(Map.of("eligibility", "credential")).get("id").asText();
        List<String> credentials = issueCredentials(electionId, 2);
        ObjectNode request = api.tokenRequest(TestVoter.ed25519()).put("credential", credentials.get(0));

        byte[] first = api.requestToken(electionId, request).expectStatus().isCreated()
                .expectBody().returnResult().getResponseBody();
        byte[] again = api.requestToken(electionId, request).expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        assertThat(again).isEqualTo(first);

        ObjectNode otherRequest = api.tokenRequest(TestVoter.ed25519()).put("credential", credentials.get(0));
        assertProblem(api.requestToken(electionId, otherRequest), 409, "credential-used");
        assertProblem(api.requestToken(electionId, api.tokenRequest(TestVoter.ed25519()).put("credential", "made-up")),
                403, "ineligible");
        assertProblem(api.requestToken(electionId, api.tokenRequest(TestVoter.ed25519())), 400, "invalid-token-request");
        api.requestToken(electionId, api.tokenRequest(TestVoter.ed25519()).put("credential", credentials.get(1)))
                .expectStatus().isCreated();
    }

    @Test
    void malformed_token_requests_are_refused() {
        String electionId = api.createElection(Map.of()).get("id").asText();
        TestVoter voter = TestVoter.ed25519();
        assertProblem(api.requestToken(electionId, api.tokenRequest(voter).put("extra", 1)), 400, "invalid-token-request");
        assertProblem(api.requestToken(electionId, api.tokenRequest(voter).put("alg", "RS256")), 400, "invalid-token-request");
        assertProblem(api.requestToken(electionId, api.tokenRequest(voter).put("prefix", Base64Url.encode(new byte[16]))),
                400, "invalid-token-request");
        // An ES256 key whose point is not on the curve.
        byte[] spki = TestVoter.es256().spki();
        spki[spki.length - 1] ^= 1;
        assertProblem(api.requestToken(electionId, api.tokenRequest(voter).put("alg", "ES256")
                .put("publicKey", Base64Url.encode(spki))), 400, "invalid-token-request");
        assertProblem(api.requestToken("no-such-election", api.tokenRequest(voter)), 404, "unknown-election");
    }

    @Test
    void a_closed_election_issues_no_tokens() {
        String electionId = api.createElection(Map.of()).get("id").asText();
        api.admin(electionId, "close");
        assertProblem(api.requestToken(electionId, api.tokenRequest(TestVoter.ed25519())), 409, "election-closed");
    }

    @Test
    void the_admin_api_needs_the_admin_token() {
        var missing = http.post().uri("/api/v1/admin/elections").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange();
        assertProblem(missing, 401, "unauthorized");
        var wrong = http.post().uri("/api/v1/admin/elections").header("Authorization", "Bearer wrong")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange();
        assertProblem(wrong, 401, "unauthorized");
    }

    @Test
    void an_open_election_takes_no_credentials() {
        String electionId = api.createElection(Map.of()).get("id").asText();
        var answer = http.post().uri("/api/v1/admin/elections/{id}/credentials", electionId)
                .header("Authorization", "Bearer " + VotingApi.ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("count", 3)).exchange();
        assertProblem(answer, 400, "invalid-request");
    }

    private List<String> issueCredentials(String electionId, int count) {
        JsonNode answer = http.post().uri("/api/v1/admin/elections/{id}/credentials", electionId)
                .header("Authorization", "Bearer " + VotingApi.ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("count", count))
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        List<String> credentials = new ArrayList<>();
        answer.get("credentials").forEach(credential -> credentials.add(credential.asText()));
        assertThat(credentials).hasSize(count).doesNotHaveDuplicates();
        return credentials;
    }

    private static void assertProblem(WebTestClient.ResponseSpec answer, int status, String slug) {
        answer.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://voting.invalid/problems/" + slug)
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.retryable").isEqualTo(false);
    }
}
