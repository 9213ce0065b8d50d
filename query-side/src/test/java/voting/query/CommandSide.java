package voting.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real command side, run from its jar as its own process on the same data directory (so on the same
 * PostgreSQL) as the query side under test: elections, ballot tokens and votes go through its HTTP API.
 */
public final class CommandSide implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final WebTestClient http;

    private CommandSide(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    public static CommandSide start(Path dataDir) throws IOException, InterruptedException {
        String jar = System.getProperty("command-side.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("No command side jar at " + jar + " (system property command-side.jar)");
        }
        int port = freePort();
        Path log = Path.of("target", "command-side-" + port + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Daxoniq.update-checker.disabled=true", "-jar", jar,
                "--server.port=" + port, "--voting.data-dir=" + dataDir.toAbsolutePath(),
                "--voting.admin-token=" + QueryTest.ADMIN_TOKEN)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        CommandSide commandSide = new CommandSide(process, log, port);
        commandSide.awaitHealthy(port);
        return commandSide;
    }

    /** Creates and opens an election with options yes, no and maybe; returns its id. */
    public String openElection(boolean revoting) {
        JsonNode election = http.post().uri("/api/v1/admin/elections")
                .header("Authorization", "Bearer " + QueryTest.ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "End to end",
                        "options", List.of(Map.of("id", "yes", "label", "Yes"), Map.of("id", "no", "label", "No"),
                                Map.of("id", "maybe", "label", "Maybe")),
                        "eligibility", "open", "liveResults", true, "revoting", revoting))
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        String electionId = election.get("id").asText();
        http.post().uri("/api/v1/admin/elections/{id}/open", electionId)
                .header("Authorization", "Bearer " + QueryTest.ADMIN_TOKEN)
                .exchange().expectStatus().isOk();
        return electionId;
    }

    /** A ballot token for the voter's key, by direct issuance. */
    public JsonNode token(String electionId, Voter voter) {
        return http.post().uri("/api/v1/elections/{id}/ballot-tokens", electionId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(voter.tokenRequest().toString())
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("token");
    }

    /** Casts a signed vote; returns the receipt once the vote is accepted (201). */
    public JsonNode cast(ObjectNode vote) {
        EntityExchangeResult<JsonNode> answer = http.post()
                .uri("/api/v1/elections/{id}/votes", vote.get("electionId").asText())
                .header("Idempotency-Key", "\"" + vote.get("idempotencyKey").asText() + "\"")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(vote.toString())
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult();
        return answer.getResponseBody();
    }

    private void awaitHealthy(int port) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The command side stopped:\n" + Files.readString(log));
            }
            try {
                if (client.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("The command side did not become healthy; see " + log.toAbsolutePath());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
