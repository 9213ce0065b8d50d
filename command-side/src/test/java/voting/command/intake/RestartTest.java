package voting.command.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import voting.command.CommandSideApplication;
import voting.command.TestVoter;
import voting.command.VotingApi;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Stopping the service and its embedded PostgreSQL, then starting both again, keeps every accepted vote. */
class RestartTest {

    private final Path dataDir = Path.of("target", "restart-" + UUID.randomUUID());

    @Test
    void every_event_and_receipt_survives_a_restart() {
        List<ObjectNode> votes = new ArrayList<>();
        List<byte[]> receipts = new ArrayList<>();
        String electionId;
        try (ConfigurableApplicationContext service = start()) {
            VotingApi api = api(service);
            electionId = api.openElection(Map.of()).get("id").asText();
            for (int i = 0; i < 5; i++) {
                TestVoter voter = i % 2 == 0 ? TestVoter.ed25519() : TestVoter.es256();
                ObjectNode vote = api.vote(electionId, api.token(electionId, voter), voter, "yes", Instant.now());
                var answer = api.post(vote);
                assertThat(answer.getStatus().value()).isEqualTo(201);
                votes.add(vote);
                receipts.add(answer.getResponseBody());
            }
        }

        try (ConfigurableApplicationContext service = start()) {
            JdbcTemplate jdbc = service.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%VoteCast'",
                    Integer.class)).isEqualTo(5);
            VotingApi api = api(service);
            for (int i = 0; i < votes.size(); i++) {
                var again = api.post(votes.get(i));
                assertThat(again.getStatus().value()).isEqualTo(200);
                assertThat(again.getResponseBody()).isEqualTo(receipts.get(i));
            }
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(CommandSideApplication.class).run(
                "--server.port=0", "--voting.data-dir=" + dataDir, "--voting.admin-token=" + VotingApi.ADMIN_TOKEN);
    }

    private static VotingApi api(ConfigurableApplicationContext service) {
        int port = ((ReactiveWebServerApplicationContext) service).getWebServer().getPort();
        return new VotingApi(WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build());
    }
}
