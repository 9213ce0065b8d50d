package voting.query.tally;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import voting.query.QueryTest;
import voting.query.TestEvents;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET .../tally}: the contract's JSON, ETag and 304, caching, and hidden live results. */
@QueryTest
class TallyHttpTest {

    @Autowired
    WebTestClient http;
    @Autowired
    EventStore eventStore;

    TestEvents events;

    @BeforeEach
    void setUp() {
        events = new TestEvents(eventStore);
    }

    @Test
    void the_tally_is_the_contracts_json_with_its_position_as_etag_and_a_one_second_cache() {
        String electionId = events.createElection();
        events.vote(electionId, "no");
        awaitPosition(electionId, 1);

        EntityExchangeResult<JsonNode> answer = get(electionId, null);

        assertThat(answer.getStatus().value()).isEqualTo(200);
        JsonNode tally = answer.getResponseBody();
        assertThat(tally.fieldNames()).toIterable()
                .containsExactly("electionId", "position", "counts", "total", "asOf");
        assertThat(tally.get("electionId").asText()).isEqualTo(electionId);
        assertThat(tally.get("position").asLong()).isEqualTo(1);
        assertThat(tally.get("counts").toString()).isEqualTo("{\"yes\":0,\"no\":1,\"maybe\":0}");
        assertThat(tally.get("total").asLong()).isEqualTo(1);
        assertThat(Instant.parse(tally.get("asOf").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(answer.getResponseHeaders().getETag()).isEqualTo("\"1\"");
        assertThat(answer.getResponseHeaders().getCacheControl()).isEqualTo("public, max-age=1");
    }

    @Test
    void a_matching_if_none_match_gets_304_until_the_tally_changes() {
        String electionId = events.createElection();
        awaitPosition(electionId, 0);
        String etag = get(electionId, null).getResponseHeaders().getETag();

        EntityExchangeResult<JsonNode> unchanged = get(electionId, etag);
        assertThat(unchanged.getStatus().value()).isEqualTo(304);
        assertThat(unchanged.getResponseBody()).isNull();
        assertThat(unchanged.getResponseHeaders().getETag()).isEqualTo(etag);
        assertThat(unchanged.getResponseHeaders().getCacheControl()).isEqualTo("public, max-age=1");
        assertThat(get(electionId, "\"other\", W/" + etag).getStatus().value()).isEqualTo(304);

        events.vote(electionId, "yes");
        awaitPosition(electionId, 1);

        EntityExchangeResult<JsonNode> changed = get(electionId, etag);
        assertThat(changed.getStatus().value()).isEqualTo(200);
        assertThat(changed.getResponseHeaders().getETag()).isEqualTo("\"1\"");
        assertThat(changed.getResponseBody().get("counts").get("yes").asLong()).isEqualTo(1);
    }

    @Test
    void hidden_live_results_are_403_until_the_election_closes() {
        String electionId = events.createElection(false, null, null);
        events.open(electionId);
        await().atMost(Duration.ofSeconds(10)).until(() -> get(electionId, null).getStatus().value() != 404);

        assertResultsNotPublic(get(electionId, null).getResponseBody());
        EntityExchangeResult<byte[]> stream = http.get().uri("/api/v1/elections/{id}/tally/stream", electionId)
                .exchange().expectStatus().isForbidden().expectBody().returnResult();
        assertResultsNotPublic(json(stream.getResponseBody()));

        events.close(electionId);
        await().atMost(Duration.ofSeconds(10)).until(() -> get(electionId, null).getStatus().value() == 200);
    }

    @Test
    void hidden_live_results_show_once_closesAt_has_passed() {
        Instant now = Instant.now();
        String electionId = events.createElection(false, now.minusSeconds(60), now.plusSeconds(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> get(electionId, null).getStatus().value() == 403);

        await().atMost(Duration.ofSeconds(10)).until(() -> get(electionId, null).getStatus().value() == 200);
    }

    @Test
    void an_unknown_election_has_no_tally() {
        http.get().uri("/api/v1/elections/{id}/tally", "no-such-election").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("https://voting.invalid/problems/unknown-election");
        http.get().uri("/api/v1/elections/{id}/tally/stream", "no-such-election").exchange()
                .expectStatus().isNotFound();
    }

    private static void assertResultsNotPublic(JsonNode problem) {
        assertThat(problem.get("type").asText()).isEqualTo("https://voting.invalid/problems/results-not-public");
        assertThat(problem.get("status").asInt()).isEqualTo(403);
        assertThat(problem.get("retryable").asBoolean()).isFalse();
    }

    private EntityExchangeResult<JsonNode> get(String electionId, String ifNoneMatch) {
        WebTestClient.RequestHeadersSpec<?> request = http.get().uri("/api/v1/elections/{id}/tally", electionId);
        if (ifNoneMatch != null) {
            request = request.header("If-None-Match", ifNoneMatch);
        }
        return request.exchange().expectBody(JsonNode.class).returnResult();
    }

    private void awaitPosition(String electionId, long position) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            EntityExchangeResult<JsonNode> answer = get(electionId, null);
            return answer.getStatus().value() == 200 && answer.getResponseBody().get("position").asLong() == position;
        });
    }

    private static JsonNode json(byte[] body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
