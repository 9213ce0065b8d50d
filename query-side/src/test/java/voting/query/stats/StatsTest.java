package voting.query.stats;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import voting.query.QueryTest;
import voting.query.ReadModelProcessor;
import voting.query.TestEvents;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /api/v1/admin/elections/{id}/stats}: intake counts summed over instances, and the projection lag. */
@QueryTest
class StatsTest {

    @Autowired
    WebTestClient http;
    @Autowired
    EventStore eventStore;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ReadModelProcessor readModels;

    TestEvents events;

    @BeforeEach
    void setUp() {
        events = new TestEvents(eventStore);
    }

    @Test
    void the_counts_of_every_command_side_instance_add_up() {
        String electionId = events.createElection();
        count(electionId, "instance-a", "accepted", 5);
        count(electionId, "instance-b", "accepted", 2);
        count(electionId, "instance-a", "replayed", 1);
        count(electionId, "instance-b", "token-issued", 9);
        count(electionId, "instance-a", "rejected:invalid-signature", 3);
        count(electionId, "instance-b", "rejected:invalid-signature", 1);
        count(electionId, "instance-b", "rejected:already-voted", 4);
        count("other-" + electionId, "instance-a", "accepted", 100);

        JsonNode stats = awaitStats(electionId);

        assertThat(stats.fieldNames()).toIterable()
                .containsExactly("accepted", "replayed", "rejected", "tokensIssued", "projectionLagMs");
        assertThat(stats.get("accepted").asLong()).isEqualTo(7);
        assertThat(stats.get("replayed").asLong()).isEqualTo(1);
        assertThat(stats.get("tokensIssued").asLong()).isEqualTo(9);
        assertThat(stats.get("rejected").toString()).isEqualTo("{\"already-voted\":4,\"invalid-signature\":4}");
    }

    @Test
    void an_election_without_intake_has_zeros_and_a_caught_up_projection_no_lag() {
        String electionId = events.createElection();

        JsonNode stats = awaitStats(electionId);
        await().atMost(Duration.ofSeconds(10)).until(() -> stats(electionId).get("projectionLagMs").asLong() == 0);

        assertThat(stats.get("accepted").asLong()).isZero();
        assertThat(stats.get("replayed").asLong()).isZero();
        assertThat(stats.get("tokensIssued").asLong()).isZero();
        assertThat(stats.get("rejected").isEmpty()).isTrue();
    }

    @Test
    void events_waiting_for_the_projection_are_lag() throws InterruptedException {
        String electionId = events.createElection();
        awaitStats(electionId);
        StreamingEventProcessor processor = readModels.processor();
        processor.shutDown();
        try {
            events.vote(electionId, "yes");
            Thread.sleep(300);
            assertThat(stats(electionId).get("projectionLagMs").asLong()).isGreaterThanOrEqualTo(300);
        } finally {
            processor.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stats(electionId).get("projectionLagMs").asLong() == 0);
    }

    @Test
    void only_the_admin_sees_stats_and_only_of_known_elections() {
        String electionId = events.createElection();
        awaitStats(electionId);

        http.get().uri("/api/v1/admin/elections/{id}/stats", electionId).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("https://voting.invalid/problems/unauthorized");
        http.get().uri("/api/v1/admin/elections/{id}/stats", electionId).header("Authorization", "Bearer wrong")
                .exchange().expectStatus().isUnauthorized();
        http.get().uri("/api/v1/admin/elections/{id}/stats", "no-such-election")
                .header("Authorization", "Bearer " + QueryTest.ADMIN_TOKEN).exchange()
                .expectStatus().isNotFound();
    }

    private void count(String electionId, String instanceId, String outcome, long count) {
        jdbc.update("INSERT INTO intake_count (election_id, instance_id, outcome, count) VALUES (?, ?, ?, ?)",
                electionId, instanceId, outcome, count);
    }

    private JsonNode awaitStats(String electionId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get()
                .uri("/api/v1/admin/elections/{id}/stats", electionId)
                .header("Authorization", "Bearer " + QueryTest.ADMIN_TOKEN)
                .exchange().returnResult(byte[].class).getStatus().value() == 200);
        return stats(electionId);
    }

    private JsonNode stats(String electionId) {
        return http.get().uri("/api/v1/admin/elections/{id}/stats", electionId)
                .header("Authorization", "Bearer " + QueryTest.ADMIN_TOKEN)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
