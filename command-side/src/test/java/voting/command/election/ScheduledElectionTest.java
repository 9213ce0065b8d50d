package voting.command.election;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import voting.command.IntakeTest;
import voting.command.TestVoter;
import voting.command.VotingApi;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An election with a schedule opens and closes by itself, and its history records the scheduled times. */
@IntakeTest
class ScheduledElectionTest {

    @Autowired
    WebTestClient http;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void votes_are_taken_only_between_opensAt_and_closesAt() {
        VotingApi api = new VotingApi(http);
        Instant opensAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        Instant closesAt = opensAt.plusSeconds(3);
        String electionId = api.createElection(Map.of("opensAt", opensAt.toString(), "closesAt", closesAt.toString()))
                .get("id").asText();
        TestVoter early = TestVoter.ed25519();
        ObjectNode tooEarly = api.vote(electionId, api.token(electionId, early), early, "yes", Instant.now());
        assertThat(problemOf(api, tooEarly)).isEqualTo("election-not-open");

        TestVoter voter = TestVoter.es256();
        var token = api.token(electionId, voter);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                api.post(api.vote(electionId, token, voter, "yes", Instant.now())).getStatus().value() == 201);

        TestVoter late = TestVoter.ed25519();
        var lateToken = api.token(electionId, late);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                "election-closed".equals(problemOf(api, api.vote(electionId, lateToken, late, "no", Instant.now()))));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "SELECT convert_from(payload, 'UTF8') FROM domain_event_entry WHERE aggregate_identifier = ? "
                        + "AND payload_type NOT LIKE '%ElectionCreated' ORDER BY sequence_number", String.class, electionId))
                .satisfiesExactly(
                        opened -> assertThat(opened).contains("\"openedAt\":\"" + opensAt + "\""),
                        closed -> assertThat(closed).contains("\"closedAt\":\"" + closesAt + "\"")));
    }

    private static String problemOf(VotingApi api, ObjectNode vote) {
        var answer = api.post(vote);
        if (answer.getStatus().value() < 400) {
            return "accepted";
        }
        String type = VotingApi.json(answer.getResponseBody()).get("type").asText();
        return type.substring(type.lastIndexOf('/') + 1);
    }
}
