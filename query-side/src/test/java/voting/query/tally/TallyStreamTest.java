package voting.query.tally;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import voting.query.QueryTest;
import voting.query.TestEvents;
import voting.query.Watcher;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET .../tally/stream}: the current tally at once, updates at a bounded pace, heartbeats, resuming. */
@QueryTest
class TallyStreamTest {

    private static final Duration SOON = Duration.ofSeconds(5);

    @LocalServerPort
    int port;
    @Autowired
    EventStore eventStore;
    @Autowired
    Tallies tallies;

    TestEvents events;
    WebClient client;

    @BeforeEach
    void setUp() {
        events = new TestEvents(eventStore);
        client = WebClient.create("http://localhost:" + port);
    }

    @Test
    void a_watcher_gets_the_current_tally_at_once_and_then_each_change() {
        String electionId = events.createElection();
        events.vote(electionId, "yes");
        awaitPosition(electionId, 1);

        try (Watcher watcher = Watcher.watch(client, stream(electionId), null)) {
            ServerSentEvent<JsonNode> current = watcher.nextTally(SOON);
            assertThat(current.event()).isEqualTo("tally");
            assertThat(current.id()).isEqualTo("1");
            assertThat(current.data().get("electionId").asText()).isEqualTo(electionId);
            assertThat(current.data().get("position").asLong()).isEqualTo(1);
            assertThat(current.data().get("counts").toString()).isEqualTo("{\"yes\":1,\"no\":0,\"maybe\":0}");

            events.vote(electionId, "maybe");

            ServerSentEvent<JsonNode> next = watcher.nextTally(SOON);
            assertThat(next.id()).isEqualTo("2");
            assertThat(next.data().get("counts").toString()).isEqualTo("{\"yes\":1,\"no\":0,\"maybe\":1}");
            assertThat(next.data().get("total").asLong()).isEqualTo(2);
        }
    }

    @Test
    void heartbeats_are_comments_between_tallies() {
        String electionId = events.createElection();
        awaitPosition(electionId, 0);

        try (Watcher watcher = Watcher.watch(client, stream(electionId), null)) {
            watcher.nextTally(SOON);
            Watcher.Received heartbeat = watcher.next(SOON);
            assertThat(heartbeat.isTally()).isFalse();
            assertThat(heartbeat.event().comment()).isEqualTo("heartbeat");
            assertThat(heartbeat.event().data()).isNull();
        }
    }

    @Test
    void a_watcher_that_comes_back_gets_the_newest_tally_at_once() {
        String electionId = events.createElection();
        awaitPosition(electionId, 0);
        String lastEventId;
        try (Watcher watcher = Watcher.watch(client, stream(electionId), null)) {
            events.vote(electionId, "no");
            lastEventId = watcher.tallyWhere(tally -> tally.get("position").asLong() == 1, SOON).id();
        }

        events.votes(electionId, List.of("yes", "yes", "no"));
        awaitPosition(electionId, 4);

        try (Watcher header = Watcher.watch(client, stream(electionId), lastEventId);
             Watcher parameter = Watcher.watch(client, stream(electionId) + "?lastEventId=" + lastEventId, null)) {
            for (Watcher resumed : List.of(header, parameter)) {
                ServerSentEvent<JsonNode> first = resumed.nextTally(SOON);
                assertThat(first.id()).isEqualTo("4");
                assertThat(first.data().get("counts").toString()).isEqualTo("{\"yes\":2,\"no\":2,\"maybe\":0}");
            }
        }
    }

    @Test
    void however_fast_votes_arrive_a_watcher_gets_at_most_four_tallies_a_second_and_the_last_one() {
        String electionId = events.createElection();
        awaitPosition(electionId, 0);
        List<Watcher.Received> received = new ArrayList<>();
        try (Watcher watcher = Watcher.watch(client, stream(electionId), null)) {
            received.add(watcher.nextTallyReceived(SOON));
            long start = System.nanoTime();
            int votes = 0;
            while (System.nanoTime() - start < Duration.ofSeconds(2).toNanos()) {
                events.votes(electionId, List.of("yes", "no"));
                votes += 2;
            }
            while (received.get(received.size() - 1).event().data().get("position").asLong() < votes) {
                received.add(watcher.nextTallyReceived(SOON));
            }
            JsonNode last = received.get(received.size() - 1).event().data();
            assertThat(last.get("counts").get("yes").asLong()).isEqualTo(votes / 2);
            assertThat(last.get("counts").get("no").asLong()).isEqualTo(votes / 2);
        }

        assertThat(received.size()).as("the stream shows progress, not only the end").isGreaterThan(2);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < received.size(); i++) {
            gaps.add(Duration.ofNanos(received.get(i).atNanos() - received.get(i - 1).atNanos()).toMillis());
        }
        // Sent 250 ms apart at the least; arrival jitter (this JVM is also busy appending votes) may bring two
        // arrivals closer, so the bound is on the rate over the whole burst.
        long spanMillis = gaps.stream().mapToLong(Long::longValue).sum();
        assertThat(gaps.size()).as("tallies after the first, %s ms apart", gaps)
                .isLessThanOrEqualTo((int) (spanMillis / 250) + 1);
    }

    @Test
    void a_thousand_idle_watchers_cost_no_threads_and_all_see_a_new_vote() {
        String electionId = events.createElection();
        awaitPosition(electionId, 0);
        ConnectionProvider connections = ConnectionProvider.builder("watchers").maxConnections(1100)
                .pendingAcquireMaxCount(-1).build();
        WebClient many = WebClient.builder().baseUrl("http://localhost:" + port)
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections))).build();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        List<Watcher> watchers = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                watchers.add(Watcher.watch(many, stream(electionId), null));
            }
            for (Watcher watcher : watchers) {
                assertThat(watcher.nextTally(Duration.ofSeconds(30)).id()).isEqualTo("0");
            }
            assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThan(threadsBefore + 20);

            events.vote(electionId, "yes");

            for (Watcher watcher : watchers) {
                assertThat(watcher.tallyWhere(tally -> tally.get("position").asLong() == 1, Duration.ofSeconds(10)))
                        .isNotNull();
            }
        } finally {
            watchers.forEach(Watcher::close);
            connections.dispose();
        }
    }

    private static String stream(String electionId) {
        return "/api/v1/elections/" + electionId + "/tally/stream";
    }

    private void awaitPosition(String electionId, long position) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> tallies.find(electionId).map(Tally::position).orElse(-1L) == position);
    }
}
