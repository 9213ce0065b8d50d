package voting.query.board;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;
import voting.crypto.Digests;
import voting.query.QueryTest;
import voting.query.TestEvents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET .../ballots?after=}: every accepted vote as one NDJSON line, numbered, in commit order. */
@QueryTest
class BulletinBoardTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    WebTestClient http;
    @Autowired
    EventStore eventStore;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    TestEvents events;

    @BeforeEach
    void setUp() {
        events = new TestEvents(eventStore);
        // Whole boards are read into memory here, which the client by default refuses beyond 256 KiB.
        http = http.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
    }

    @Test
    void each_accepted_vote_is_a_line_with_its_full_signed_vote() {
        String electionId = events.createElection();
        String first = events.vote(electionId, "yes");
        String second = events.vote(electionId, "no");
        events.revote(first, electionId, "maybe");

        List<JsonNode> lines = awaitLines(electionId, 0, 3);

        assertThat(lines).extracting(line -> line.get("position").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(lines).extracting(line -> line.get("ballotId").asText()).containsExactly(first, second, first);
        assertThat(lines).extracting(line -> line.at("/vote/choice").asText()).containsExactly("yes", "no", "maybe");
        for (JsonNode line : lines) {
            assertThat(line.fieldNames()).toIterable()
                    .containsExactly("position", "acceptedAt", "ballotId", "voteHash", "vote");
            assertThat(Instant.parse(line.get("acceptedAt").asText())).isBefore(Instant.now().plusSeconds(1));
            assertThat(line.get("vote").fieldNames()).toIterable().containsExactlyInAnyOrder(
                    "v", "electionId", "voteId", "choice", "castAt", "idempotencyKey", "token", "signature");
            String voteHash = Base64Url.encode(Digests.sha256(CanonicalJson.of(line.get("vote"))));
            assertThat(line.get("voteHash").asText()).isEqualTo(voteHash);
        }
    }

    @Test
    void after_a_position_only_the_later_lines_come() {
        String electionId = events.createElection();
        events.votes(electionId, List.of("yes", "no", "yes"));
        awaitLines(electionId, 0, 3);

        assertThat(lines(electionId, "2")).extracting(line -> line.get("position").asLong()).containsExactly(3L);
        assertThat(lines(electionId, "3")).isEmpty();
        for (String invalid : List.of("-1", "x", "1.5")) {
            http.get().uri("/api/v1/elections/{id}/ballots?after={after}", electionId, invalid).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.type").isEqualTo("https://voting.invalid/problems/invalid-request");
        }
    }

    @Test
    void a_board_longer_than_a_page_streams_whole_and_in_order() {
        String electionId = events.createElection();
        List<String> choices = new ArrayList<>(Collections.nCopies(700, "yes"));
        choices.addAll(Collections.nCopies(600, "no"));
        List<String> ballots = events.votes(electionId, choices);

        List<JsonNode> lines = awaitLines(electionId, 0, 1300);

        assertThat(lines).extracting(line -> line.get("position").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 1300).boxed().toList());
        assertThat(lines).extracting(line -> line.get("ballotId").asText()).containsExactlyElementsOf(ballots);
        assertThat(lines(electionId, "1299")).hasSize(1);
    }

    @Test
    void lines_already_on_the_board_are_not_added_again() {
        String electionId = events.createElection();
        String ballotId = events.vote(electionId, "yes");
        List<JsonNode> before = awaitLines(electionId, 0, 1);

        BoardBatch again = new BoardBatch();
        again.add(new BoardBatch.Line(electionId, ballotId, 0));
        again.write(jdbc);
        assertThat(lines(electionId, "0")).containsExactlyElementsOf(before);

        events.revote(ballotId, electionId, "no");
        List<JsonNode> after = awaitLines(electionId, 0, 2);
        assertThat(after.get(0)).isEqualTo(before.get(0));
        assertThat(after.get(1).get("position").asLong()).isEqualTo(2);
        assertThat(after.get(1).at("/vote/choice").asText()).isEqualTo("no");
    }

    /**
     * Concurrent writers commit out of order: an event can arrive after one with a higher global index, into the
     * gap it left. Its line must name that event, not the later one its tracking token points at.
     */
    @Test
    void a_vote_committed_late_into_a_gap_gets_its_own_line() throws InterruptedException {
        String electionId = events.createElection();
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        AtomicReference<String> late = new AtomicReference<>();
        Thread slowWriter = new Thread(() -> new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            late.set(events.vote(electionId, "no")); // takes the lower global index, not committed yet
            appended.countDown();
            awaitUninterruptibly(commit);
        }));
        slowWriter.start();
        assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
        String early = events.vote(electionId, "yes");
        awaitLines(electionId, 0, 1);
        commit.countDown();
        slowWriter.join();

        List<JsonNode> lines = awaitLines(electionId, 0, 2);
        assertThat(lines).extracting(line -> line.get("ballotId").asText()).containsExactly(early, late.get());
        assertThat(lines).extracting(line -> line.at("/vote/choice").asText()).containsExactly("yes", "no");
    }

    @Test
    void with_hidden_live_results_the_board_waits_for_the_close() {
        String electionId = events.createElection(false, null, null);
        events.vote(electionId, "yes");
        await().atMost(Duration.ofSeconds(10)).until(() -> status(electionId) != 404);
        assertThat(status(electionId)).isEqualTo(403);

        events.close(electionId);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(electionId) == 200);
        assertThat(lines(electionId, "0")).hasSize(1);
    }

    @Test
    void an_unknown_election_has_no_board() {
        http.get().uri("/api/v1/elections/{id}/ballots", "no-such-election").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("https://voting.invalid/problems/unknown-election");
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            assertThat(latch.await(20, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int status(String electionId) {
        return http.get().uri("/api/v1/elections/{id}/ballots", electionId).exchange()
                .returnResult(byte[].class).getStatus().value();
    }

    private List<JsonNode> awaitLines(String electionId, long after, int count) {
        return await().atMost(Duration.ofSeconds(20))
                .until(() -> lines(electionId, Long.toString(after)), lines -> lines.size() == count);
    }

    private List<JsonNode> lines(String electionId, String after) {
        EntityExchangeResult<byte[]> answer = http.get()
                .uri("/api/v1/elections/{id}/ballots?after={after}", electionId, after)
                .exchange().expectBody().returnResult();
        if (answer.getStatus().value() == 404) {
            return List.of();
        }
        assertThat(answer.getStatus().value()).isEqualTo(200);
        assertThat(answer.getResponseHeaders().getContentType().toString()).isEqualTo("application/x-ndjson");
        byte[] body = answer.getResponseBody();
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(parse(line));
            }
        }
        assertThat(text.isEmpty() || text.endsWith("\n")).as("every line ends with a newline").isTrue();
        return lines;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
