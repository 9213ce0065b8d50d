package voting.command.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import voting.command.IntakeTest;
import voting.command.TestVoter;
import voting.command.VotingApi;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error row of the contract's vote table: its status, its problem JSON, and nothing stored. */
@IntakeTest
class VoteProblemsTest {

    @Autowired
    WebTestClient http;
    @Autowired
    JdbcTemplate jdbc;

    VotingApi api;
    TestVoter voter;
    String electionId;
    JsonNode token;

    @BeforeEach
    void setUp() {
        api = new VotingApi(http);
        voter = TestVoter.ed25519();
        electionId = api.openElection(Map.of()).get("id").asText();
        token = api.token(electionId, voter);
    }

    private ObjectNode validVote() {
        return api.vote(electionId, token, voter, "yes", Instant.now());
    }

    private ObjectNode resigned(ObjectNode vote) {
        return VotingApi.sign(vote, voter);
    }

    @Test
    void malformed_json() {
        assertProblem(400, "invalid-vote", () -> api.post(electionId, "{\"v\": 1,", header(validVote())));
    }

    @Test
    void a_missing_field() {
        ObjectNode vote = validVote();
        vote.remove("choice");
        assertProblem(400, "invalid-vote", () -> api.post(resigned(vote)));
    }

    @Test
    void an_extra_field() {
        assertProblem(400, "invalid-vote", () -> api.post(resigned(validVote().put("comment", "hi"))));
    }

    @Test
    void a_wrong_type() {
        assertProblem(400, "invalid-vote", () -> api.post(resigned(validVote().put("v", "1"))));
    }

    @Test
    void bad_base64url() {
        assertProblem(400, "invalid-vote", () -> api.post(validVote().put("signature", "not+base64/url==")));
    }

    @Test
    void an_unknown_option() {
        assertProblem(400, "invalid-vote", () -> api.post(resigned(validVote().put("choice", "maybe"))));
    }

    @Test
    void a_version_other_than_1() {
        assertProblem(400, "invalid-vote", () -> api.post(resigned(validVote().put("v", 2))));
    }

    @Test
    void a_missing_idempotency_key_header() {
        ObjectNode vote = validVote();
        assertProblem(400, "invalid-vote", () -> api.post(electionId, vote.toString(), null));
    }

    @Test
    void an_idempotency_key_header_that_differs_from_the_body() {
        ObjectNode vote = validVote();
        assertProblem(400, "invalid-vote", () -> api.post(electionId, vote.toString(), "\"" + UUID.randomUUID() + "\""));
    }

    @Test
    void duplicated_idempotency_key_headers() {
        ObjectNode vote = validVote();
        assertProblem(400, "invalid-vote", () -> http.post().uri("/api/v1/elections/{id}/votes", electionId)
                .contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", header(vote), header(vote))
                .bodyValue(vote.toString()).exchange().expectBody().returnResult());
    }

    @Test
    void duplicated_json_fields() {
        ObjectNode vote = validVote();
        String body = vote.toString().replaceFirst("\\{", "{\"choice\":\"no\",");
        assertProblem(400, "invalid-vote", () -> api.post(electionId, body, header(vote)));
    }

    @Test
    void deeply_nested_json() {
        String body = "[".repeat(5000) + "]".repeat(5000);
        assertProblem(400, "invalid-vote", () -> api.post(electionId, body, header(validVote())));
    }

    @Test
    void a_body_larger_than_16_kib() {
        ObjectNode vote = validVote().put("padding", "x".repeat(17 * 1024));
        assertProblem(413, "vote-too-large", () -> api.post(vote));
    }

    @Test
    void a_signature_that_does_not_verify() {
        ObjectNode vote = validVote();
        VotingApi.sign(vote, TestVoter.ed25519());
        assertProblem(401, "invalid-signature", () -> api.post(vote));
    }

    @Test
    void a_token_of_another_election() {
        String otherElection = api.openElection(Map.of()).get("id").asText();
        ObjectNode vote = api.vote(electionId, api.token(otherElection, voter), voter, "yes", Instant.now());
        assertProblem(403, "invalid-token", () -> api.post(vote));
    }

    @Test
    void a_token_whose_key_was_swapped() {
        TestVoter attacker = TestVoter.ed25519();
        ObjectNode forged = ((ObjectNode) token.deepCopy())
                .put("publicKey", voting.crypto.Base64Url.encode(attacker.spki()));
        ObjectNode vote = api.vote(electionId, forged, attacker, "yes", Instant.now());
        assertProblem(403, "invalid-token", () -> api.post(vote));
    }

    @Test
    void a_token_with_an_unknown_kid() {
        ObjectNode vote = api.vote(electionId, ((ObjectNode) token.deepCopy()).put("kid", "unknown-kid"), voter, "yes", Instant.now());
        assertProblem(403, "invalid-token", () -> api.post(vote));
    }

    @Test
    void an_unknown_election() {
        ObjectNode vote = api.vote("no-such-election", token, voter, "yes", Instant.now());
        assertProblem(404, "unknown-election", () -> api.post(vote));
    }

    @Test
    void an_election_not_open_yet() {
        String draft = api.createElection(Map.of()).get("id").asText();
        ObjectNode vote = api.vote(draft, api.token(draft, voter), voter, "yes", Instant.now());
        assertProblem(409, "election-not-open", () -> api.post(vote));
    }

    @Test
    void a_closed_election() {
        ObjectNode vote = validVote();
        api.admin(electionId, "close");
        assertProblem(409, "election-closed", () -> api.post(vote));
    }

    @Test
    void a_second_vote_without_revoting() {
        assertThat(api.post(validVote()).getStatus().value()).isEqualTo(201);
        assertProblem(409, "already-voted", () -> api.post(api.vote(electionId, token, voter, "no", Instant.now())));
    }

    @Test
    void an_idempotency_key_reused_for_different_content() {
        ObjectNode vote = validVote();
        assertThat(api.post(vote).getStatus().value()).isEqualTo(201);
        assertProblem(422, "idempotency-key-reused", () -> api.post(resigned(vote.deepCopy().put("choice", "no"))));
    }

    @Test
    void an_idempotency_key_reused_on_another_ballot() {
        ObjectNode vote = validVote();
        assertThat(api.post(vote).getStatus().value()).isEqualTo(201);
        TestVoter other = TestVoter.es256();
        ObjectNode otherVote = api.vote(electionId, api.token(electionId, other), other, "no", Instant.now());
        otherVote.put("idempotencyKey", vote.get("idempotencyKey").asText());
        VotingApi.sign(otherVote, other);
        assertProblem(422, "idempotency-key-reused", () -> api.post(otherVote));
    }

    private static String header(JsonNode vote) {
        return "\"" + vote.get("idempotencyKey").asText() + "\"";
    }

    private void assertProblem(int status, String slug, Supplier<EntityExchangeResult<byte[]>> request) {
        long eventsBefore = count("domain_event_entry");
        long receiptsBefore = count("vote_receipt");

        EntityExchangeResult<byte[]> answer = request.get();

        assertThat(answer.getStatus().value()).as("status").isEqualTo(status);
        assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = VotingApi.json(answer.getResponseBody());
        assertThat(problem.get("type").asText()).isEqualTo("https://voting.invalid/problems/" + slug);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("retryable").asBoolean()).isFalse();
        assertThat(count("domain_event_entry")).as("events stored").isEqualTo(eventsBefore);
        assertThat(count("vote_receipt")).as("receipts stored").isEqualTo(receiptsBefore);
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
    }
}
