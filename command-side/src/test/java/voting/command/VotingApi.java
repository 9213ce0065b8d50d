package voting.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The contract's calls as a test client makes them: elections, tokens and signed votes over real HTTP. */
public final class VotingApi {

    public static final String ADMIN_TOKEN = "test-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebTestClient http;

    public VotingApi(WebTestClient http) {
        this.http = http;
    }

    public WebTestClient http() {
        return http;
    }

    /** Creates an election with options yes/no; {@code settings} overrides eligibility, revoting and the like. */
    public JsonNode createElection(Map<String, Object> settings) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of(
                "title", "Test election",
                "options", List.of(Map.of("id", "yes", "label", "Yes"), Map.of("id", "no", "label", "No")),
                "eligibility", "open", "liveResults", true, "revoting", false));
        body.putAll(settings);
        return http.post().uri("/api/v1/admin/elections")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    public JsonNode openElection(Map<String, Object> settings) {
        String id = createElection(settings).get("id").asText();
        return admin(id, "open");
    }

    public JsonNode admin(String electionId, String action) {
        return http.post().uri("/api/v1/admin/elections/{id}/" + action, electionId)
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    public ObjectNode tokenRequest(TestVoter voter) {
        byte[] prefix = new byte[32];
        RANDOM.nextBytes(prefix);
        return JSON.createObjectNode()
                .put("alg", voter.alg())
                .put("publicKey", Base64Url.encode(voter.spki()))
                .put("prefix", Base64Url.encode(prefix));
    }

    public WebTestClient.ResponseSpec requestToken(String electionId, ObjectNode request) {
        return http.post().uri("/api/v1/elections/{id}/ballot-tokens", electionId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(request.toString())
                .exchange();
    }

    public JsonNode token(String electionId, TestVoter voter) {
        return requestToken(electionId, tokenRequest(voter)).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("token");
    }

    /** A vote signed by the voter over the canonical bytes of the vote without its signature. */
    public ObjectNode vote(String electionId, JsonNode token, TestVoter voter, String choice, Instant castAt) {
        ObjectNode vote = JSON.createObjectNode()
                .put("v", 1)
                .put("electionId", electionId)
                .put("voteId", UUID.randomUUID().toString())
                .put("choice", choice)
                .put("castAt", castAt.toString())
                .put("idempotencyKey", UUID.randomUUID().toString());
        vote.set("token", token);
        return sign(vote, voter);
    }

    public static ObjectNode sign(ObjectNode vote, TestVoter voter) {
        vote.remove("signature");
        vote.put("signature", Base64Url.encode(voter.sign(CanonicalJson.of(vote))));
        return vote;
    }

    public EntityExchangeResult<byte[]> post(JsonNode vote) {
        return post(vote.get("electionId").asText(), vote.toString(), "\"" + vote.get("idempotencyKey").asText() + "\"");
    }

    public EntityExchangeResult<byte[]> post(String electionId, String body, String idempotencyKeyHeader) {
        var request = http.post().uri("/api/v1/elections/{id}/votes", electionId)
                .contentType(MediaType.APPLICATION_JSON);
        if (idempotencyKeyHeader != null) {
            request = request.header("Idempotency-Key", idempotencyKeyHeader);
        }
        return request.bodyValue(body).exchange().expectBody().returnResult();
    }

    public static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
