package voting.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;
import voting.crypto.Digests;
import voting.crypto.VoterPublicKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Votes cast through the real command side, as a client casts them, show up on this side: tallied, pushed to a
 * live watcher within a second, on the bulletin board where an auditor can check each one, and in the stats.
 */
@QueryTest
class EndToEndTest {

    private static final int VOTERS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    WebTestClient http;

    @Test
    void votes_cast_through_the_command_side_are_tallied_streamed_and_published() throws Exception {
        try (CommandSide commands = CommandSide.start(Path.of("target", "test-var"))) {
            String electionId = commands.openElection(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> http.get()
                    .uri("/api/v1/elections/{id}/tally", electionId)
                    .exchange().returnResult(byte[].class).getStatus().value() == 200);

            try (Watcher watcher = Watcher.watch(WebClient.create("http://localhost:" + port),
                    "/api/v1/elections/" + electionId + "/tally/stream", null)) {
                assertThat(watcher.nextTally(Duration.ofSeconds(5)).id()).isEqualTo("0");

                Instant castAt = Instant.now();
                List<Voter> voters = new ArrayList<>();
                List<JsonNode> tokens = new ArrayList<>();
                for (int i = 0; i < VOTERS; i++) {
                    Voter voter = new Voter();
                    JsonNode token = commands.token(electionId, voter);
                    commands.cast(voter.vote(electionId, token, i % 2 == 0 ? "yes" : "no", castAt));
                    voters.add(voter);
                    tokens.add(token);
                }
                // The first voter changes their mind: their ballot now counts for maybe.
                commands.cast(voters.get(0).vote(electionId, tokens.get(0), "maybe", castAt.plusSeconds(1)));

                JsonNode tally = watcher
                        .tallyWhere(t -> t.get("position").asLong() == VOTERS + 1, Duration.ofSeconds(10)).data();
                assertThat(tally.get("counts").toString()).isEqualTo("{\"yes\":9,\"no\":10,\"maybe\":1}");
                assertThat(tally.get("total").asLong()).isEqualTo(VOTERS);
                http.get().uri("/api/v1/elections/{id}/tally", electionId).exchange()
                        .expectStatus().isOk().expectBody(JsonNode.class).isEqualTo(tally);

                Voter late = new Voter();
                ObjectNode lateVote = late.vote(electionId, commands.token(electionId, late), "maybe", Instant.now());
                commands.cast(lateVote);
                long accepted = System.nanoTime();
                watcher.tallyWhere(t -> t.get("position").asLong() == VOTERS + 2, Duration.ofSeconds(10));
                assertThat(Duration.ofNanos(System.nanoTime() - accepted))
                        .as("from acceptance to the watcher").isLessThan(Duration.ofSeconds(1));
            }

            assertEveryVoteOnTheBoardChecksOut(electionId, VOTERS + 2);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode stats = http.get().uri("/api/v1/admin/elections/{id}/stats", electionId)
                        .header("Authorization", "Bearer " + QueryTest.ADMIN_TOKEN)
                        .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
                assertThat(stats.get("accepted").asLong()).isEqualTo(VOTERS + 2);
                assertThat(stats.get("tokensIssued").asLong()).isEqualTo(VOTERS + 1);
                assertThat(stats.get("projectionLagMs").asLong()).isZero();
            });
        }
    }

    /** What an auditor does with each line: hash the vote to its voteHash and check the voter's signature. */
    private void assertEveryVoteOnTheBoardChecksOut(String electionId, int votes) throws IOException {
        byte[] body = http.get().uri("/api/v1/elections/{id}/ballots", electionId).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(votes);
        for (String text : lines) {
            JsonNode line = JSON.readTree(text);
            ObjectNode vote = (ObjectNode) line.get("vote");
            String voteHash = Base64Url.encode(Digests.sha256(CanonicalJson.of(vote)));
            assertThat(line.get("voteHash").asText()).isEqualTo(voteHash);
            ObjectNode unsigned = vote.deepCopy();
            byte[] signature = Base64Url.decode(unsigned.remove("signature").asText());
            VoterPublicKey voterKey = VoterPublicKey.parse(vote.at("/token/alg").asText(),
                    Base64Url.decode(vote.at("/token/publicKey").asText()));
            assertThat(voterKey.verify(CanonicalJson.of(unsigned), signature)).isTrue();
        }
    }
}
