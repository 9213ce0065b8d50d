package voting.query.election;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import voting.query.QueryTest;
import voting.query.TestEvents;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Election events become the catalogue: list and detail as the contract shapes them, status by the schedule. */
@QueryTest
class ElectionCatalogueTest {

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
    void a_created_election_is_listed_and_described_with_its_options_and_public_keys() {
        Instant opensAt = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant closesAt = opensAt.plus(1, ChronoUnit.DAYS);
        String electionId = events.createElection(false, opensAt, closesAt);

        JsonNode detail = awaitElection(electionId);

        assertThat(detail.get("id").asText()).isEqualTo(electionId);
        assertThat(detail.get("title").asText()).isEqualTo("Election " + electionId);
        assertThat(detail.get("description").asText()).isEmpty();
        assertThat(detail.get("options").toString()).isEqualTo(
                "[{\"id\":\"yes\",\"label\":\"YES\"},{\"id\":\"no\",\"label\":\"NO\"},"
                        + "{\"id\":\"maybe\",\"label\":\"MAYBE\"}]");
        assertThat(detail.get("status").asText()).isEqualTo("draft");
        assertThat(detail.get("opensAt").asText()).isEqualTo(opensAt.toString());
        assertThat(detail.get("closesAt").asText()).isEqualTo(closesAt.toString());
        assertThat(detail.get("eligibility").asText()).isEqualTo("open");
        assertThat(detail.get("liveResults").asBoolean()).isFalse();
        assertThat(detail.get("revoting").asBoolean()).isTrue();
        assertThat(detail.at("/keys/issuer/kid").asText()).isEqualTo("issuer-" + electionId);
        assertThat(detail.at("/keys/issuer/alg").asText()).isEqualTo("RSABSSA-SHA384-PSS-Randomized");
        assertThat(detail.at("/keys/receipt/alg").asText()).isEqualTo("Ed25519");
        assertThat(detail.at("/keys/receipt/spki").asText()).isNotEmpty();

        JsonNode summary = listed(electionId);
        assertThat(summary).isNotNull();
        assertThat(summary.fieldNames()).toIterable().containsExactly("id", "title", "status", "opensAt", "closesAt");
        assertThat(summary.get("status").asText()).isEqualTo("draft");
    }

    @Test
    void opening_and_closing_change_the_status() {
        String electionId = events.createElection();
        awaitElection(electionId);

        events.open(electionId);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(electionId).equals("open"));
        events.close(electionId);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(electionId).equals("closed"));
        assertThat(listed(electionId).get("status").asText()).isEqualTo("closed");
    }

    @Test
    void the_status_follows_the_schedule_before_the_events_record_it() {
        Instant now = Instant.now();
        String opened = events.createElection(true, now.minusSeconds(60), now.plusSeconds(3600));
        String closed = events.createElection(true, now.minusSeconds(120), now.minusSeconds(60));

        assertThat(awaitElection(opened).get("status").asText()).isEqualTo("open");
        assertThat(awaitElection(closed).get("status").asText()).isEqualTo("closed");
    }

    @Test
    void an_unknown_election_is_a_404_problem() {
        http.get().uri("/api/v1/elections/{id}", "no-such-election").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType("application/problem+json")
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://voting.invalid/problems/unknown-election")
                .jsonPath("$.retryable").isEqualTo(false);
    }

    private JsonNode awaitElection(String electionId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get().uri("/api/v1/elections/{id}", electionId)
                .exchange().returnResult(byte[].class).getStatus().value() == 200);
        return http.get().uri("/api/v1/elections/{id}", electionId).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private String status(String electionId) {
        return awaitElection(electionId).get("status").asText();
    }

    private JsonNode listed(String electionId) {
        JsonNode list = http.get().uri("/api/v1/elections").exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        for (JsonNode election : list) {
            if (election.get("id").asText().equals(electionId)) {
                return election;
            }
        }
        return null;
    }
}
