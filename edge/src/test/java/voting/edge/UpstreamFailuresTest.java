package voting.edge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static voting.edge.ProblemAssertions.assertNoServerInsides;
import static voting.edge.ProblemAssertions.assertProblem;
import static voting.edge.ProblemAssertions.json;

/** The command side is not running, the query side is slow: clients get retryable problems, health says DOWN. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "voting.admin-token=test-admin-token",
        "voting.edge.health-timeout=500ms",
        "spring.cloud.gateway.server.webflux.httpclient.response-timeout=1s"})
class UpstreamFailuresTest {

    static final String nobodyListens = "http://127.0.0.1:" + unusedPort();
    static final StubUpstream query = StubUpstream.start("query");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("voting.edge.command-url", () -> nobodyListens);
        registry.add("voting.edge.query-url", query::url);
    }

    @AfterAll
    static void stopUpstream() {
        query.close();
    }

    @Test
    void aSideThatIsDownAnswersUnavailableSoClientsSendAgainLater() {
        EdgeHttp http = new EdgeHttp(port);
        HttpResponse<String> vote = http.post("/api/v1/elections/demo/votes", "{}".getBytes(),
                "Idempotency-Key", "\"k\"");
        assertProblem(vote, 503, "unavailable", true);
        assertProblem(http.post("/api/v1/elections/demo/ballot-tokens", "{}".getBytes()), 503, "unavailable", true);
        assertProblem(http.post("/api/v1/admin/elections", "{}".getBytes()), 503, "unavailable", true);

        assertThat(http.get("/api/v1/elections").statusCode()).isEqualTo(200);
    }

    @Test
    void aSideThatDoesNotAnswerInTimeIsUnavailableToo() {
        HttpResponse<String> slow = new EdgeHttp(port).get("/api/v1/elections/slow", "X-Stub-Delay-Ms", "3000");
        assertProblem(slow, 503, "unavailable", true);
    }

    @Test
    void healthIsDownAndSaysWhichSideIsMissing() {
        HttpResponse<String> response = new EdgeHttp(port).get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode health = json(response.body());
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(health.at("/components/commandSide/status").asText()).isEqualTo("DOWN");
        assertThat(health.at("/components/commandSide/details/reason").asText()).isEqualTo("unreachable");
        assertThat(health.at("/components/querySide/status").asText()).isEqualTo("UP");
        assertNoServerInsides(response.body());
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
