package voting.query.replay;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import voting.query.QueryTest;
import voting.query.TestEvents;
import voting.query.Watcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code POST /api/v1/admin/replay}: the read models rebuilt from the event store equal the live ones. */
@QueryTest
class ReplayTest {

    @Autowired
    WebTestClient http;
    @Autowired
    EventStore eventStore;
    @LocalServerPort
    int port;

    TestEvents events;
    List<String> elections;

    @BeforeEach
    void setUp() {
        events = new TestEvents(eventStore);
        http = http.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
        elections = List.of(events.createElection(), events.createElection());
        String revoter = events.vote(elections.get(0), "yes");
        events.votes(elections.get(0), List.of("no", "no", "maybe"));
        events.revote(revoter, elections.get(0), "no");
        events.votes(elections.get(1), List.of("yes", "yes"));
        events.close(elections.get(1));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> position(elections.get(0)) == 5 && position(elections.get(1)) == 2);
    }

    @Test
    void a_replay_rebuilds_identical_read_models_and_a_second_one_counts_nothing_twice() {
        Map<String, String> before = readModels();

        for (int replay = 1; replay <= 2; replay++) {
            http.post().uri("/api/v1/admin/replay").header("Authorization", "Bearer " + QueryTest.ADMIN_TOKEN)
                    .exchange()
                    .expectStatus().isAccepted()
                    .expectBody().jsonPath("$.rebuilding").isEqualTo(true);
            awaitRebuilt();

            assertThat(readModels()).isEqualTo(before);
        }
    }

    @Test
    void while_rebuilding_readers_get_503_or_the_full_tally_and_watchers_never_go_back() {
        String electionId = elections.get(0);
        String full = body(tally(electionId));
        WebClient client = WebClient.create("http://localhost:" + port);
        try (Watcher watcher = Watcher.watch(client, "/api/v1/elections/" + electionId + "/tally/stream", null)) {
            assertThat(watcher.nextTally(Duration.ofSeconds(5)).id()).isEqualTo("5");

            http.post().uri("/api/v1/admin/replay").header("Authorization", "Bearer " + QueryTest.ADMIN_TOKEN)
                    .exchange().expectStatus().isAccepted();
            List<Integer> seen = new ArrayList<>();
            while (rebuilding()) {
                EntityExchangeResult<byte[]> answer = tally(electionId);
                seen.add(answer.getStatus().value());
                if (answer.getStatus().value() == 503) {
                    assertThat(body(answer)).contains("\"type\":\"https://voting.invalid/problems/unavailable\"");
                    assertThat(answer.getResponseHeaders().getFirst("Retry-After")).isNotNull();
                } else {
                    assertThat(answer.getStatus().value()).as("answers during the rebuild: %s", seen).isEqualTo(200);
                    assertThat(body(answer)).isEqualTo(full);
                }
            }
            assertThat(body(tally(electionId))).isEqualTo(full);

            events.vote(electionId, "maybe");
            ServerSentEvent<JsonNode> next = watcher.nextTally(Duration.ofSeconds(5));
            assertThat(next.id()).isEqualTo("6");
            assertThat(next.data().get("counts").toString()).isEqualTo("{\"yes\":0,\"no\":3,\"maybe\":2}");
        }
    }

    @Test
    void only_the_admin_can_replay() {
        http.post().uri("/api/v1/admin/replay").exchange().expectStatus().isUnauthorized();
        http.get().uri("/api/v1/admin/replay").exchange().expectStatus().isUnauthorized();
    }

    /** Every public read of the test's elections: catalogue entries, tallies and boards. */
    private Map<String, String> readModels() {
        Map<String, String> reads = new LinkedHashMap<>();
        for (String electionId : elections) {
            reads.put(electionId + " election", get("/api/v1/elections/" + electionId));
            reads.put(electionId + " tally", get("/api/v1/elections/" + electionId + "/tally"));
            reads.put(electionId + " board", get("/api/v1/elections/" + electionId + "/ballots"));
        }
        return reads;
    }

    private void awaitRebuilt() {
        await().atMost(Duration.ofSeconds(60)).until(() -> !rebuilding());
    }

    private boolean rebuilding() {
        return http.get().uri("/api/v1/admin/replay").header("Authorization", "Bearer " + QueryTest.ADMIN_TOKEN)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("rebuilding").asBoolean();
    }

    private long position(String electionId) {
        EntityExchangeResult<byte[]> answer = tally(electionId);
        if (answer.getStatus().value() != 200) {
            return -1;
        }
        return Long.parseLong(answer.getResponseHeaders().getETag().replace("\"", ""));
    }

    private EntityExchangeResult<byte[]> tally(String electionId) {
        return http.get().uri("/api/v1/elections/{id}/tally", electionId).exchange().expectBody().returnResult();
    }

    private String get(String path) {
        return body(http.get().uri(path).exchange().expectStatus().isOk().expectBody().returnResult());
    }

    private static String body(EntityExchangeResult<byte[]> answer) {
        return new String(answer.getResponseBody(), StandardCharsets.UTF_8);
    }
}
