package voting.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The real services, each run from its jar as its own process on the tests' PostgreSQL, as {@code ./voting up}
 * runs them: elections, tokens and votes go through the command side's HTTP API; the board and tally are the query
 * side's.
 */
final class Platform implements AutoCloseable {

    static final String ADMIN_TOKEN = "audit-test-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final String commandUrl;
    final String queryUrl;

    private Platform(String commandUrl, String queryUrl) {
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
    }

    static Platform start() throws IOException, InterruptedException {
        TestDatabase.servicesUrl(); // started and migrated before either service attaches to it
        int commandPort = freePort();
        int queryPort = freePort();
        Platform platform = new Platform("http://localhost:" + commandPort, "http://localhost:" + queryPort);
        try {
            platform.startService("command-side", commandPort);
            platform.startService("query-side", queryPort);
            platform.awaitHealthy("command-side", platform.commandUrl);
            platform.awaitHealthy("query-side", platform.queryUrl);
        } catch (IOException | InterruptedException | RuntimeException e) {
            platform.close();
            throw e;
        }
        return platform;
    }

    private void startService(String name, int port) throws IOException {
        String jar = System.getProperty(name + ".jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("No " + name + " jar at " + jar + " (system property " + name + ".jar)");
        }
        Path log = Path.of("target", name + "-" + port + ".log");
        processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Daxoniq.update-checker.disabled=true", "-jar", jar,
                "--server.port=" + port, "--voting.data-dir=" + TestDatabase.DATA_DIR,
                "--voting.admin-token=" + ADMIN_TOKEN)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }

    private void awaitHealthy(String name, String baseUrl) throws InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (processes.stream().anyMatch(p -> !p.isAlive())) {
                throw new IllegalStateException(name + " (or another service) stopped; see target/*.log");
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not become healthy; see target/" + name + "-*.log");
    }

    /** Creates and opens an election with options yes, no and maybe; returns its id. */
    String openElection(boolean revoting, boolean liveResults) {
        JsonNode election = send("POST", commandUrl + "/api/v1/admin/elections", Map.of("title", "Audited",
                "options", List.of(Map.of("id", "yes", "label", "Yes"), Map.of("id", "no", "label", "No"),
                        Map.of("id", "maybe", "label", "Maybe")),
                "eligibility", "open", "liveResults", liveResults, "revoting", revoting), 201);
        String id = election.get("id").asText();
        send("POST", commandUrl + "/api/v1/admin/elections/" + id + "/open", null, 200);
        return id;
    }

    void close(String electionId) {
        send("POST", commandUrl + "/api/v1/admin/elections/" + electionId + "/close", null, 200);
    }

    ObjectNode token(String electionId, TestVoter voter) {
        return (ObjectNode) send("POST", commandUrl + "/api/v1/elections/" + electionId + "/ballot-tokens",
                voter.tokenRequest(), 201).get("token");
    }

    /** Casts a signed vote; returns its receipt (201). */
    JsonNode cast(ObjectNode vote) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(commandUrl + "/api/v1/elections/"
                        + vote.get("electionId").asText() + "/votes"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "\"" + vote.get("idempotencyKey").asText() + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(vote.toString())).timeout(Duration.ofSeconds(30)).build();
        return answer(request, 201);
    }

    /** Votes on {@code count} fresh ballots (choices cycling yes, no, maybe), 8 at a time; every tenth voter, with
     * revoting, changes their mind a second later. Returns the number of votes accepted. */
    int vote(String electionId, int count, boolean revoting) throws InterruptedException {
        ExecutorService voters = Executors.newFixedThreadPool(8);
        List<String> options = List.of("yes", "no", "maybe");
        Instant castAt = Instant.now();
        try {
            List<Future<Integer>> cast = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                cast.add(voters.submit(() -> {
                    TestVoter voter = TestVoter.number(n);
                    ObjectNode token = token(electionId, voter);
                    cast(voter.vote(electionId, token, options.get(n % 3), castAt));
                    if (revoting && n % 10 == 0) {
                        cast(voter.vote(electionId, token, options.get((n + 1) % 3), castAt.plusSeconds(1)));
                        return 2;
                    }
                    return 1;
                }));
            }
            int votes = 0;
            for (Future<Integer> future : cast) {
                votes += future.get();
            }
            return votes;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            voters.shutdownNow();
        }
    }

    /** Waits until the query side publishes the election (it projects the election's creation a moment later). */
    void awaitPublished(String electionId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(queryUrl + "/api/v1/elections/" + electionId))
                    .timeout(Duration.ofSeconds(10)).build();
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // try again
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the query side does not publish election " + electionId);
    }

    /** The query side's tally, once it is at {@code position}. */
    JsonNode awaitTally(String electionId, long position) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode tally = null;
        while (System.nanoTime() < deadline) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(queryUrl + "/api/v1/elections/" + electionId
                    + "/tally")).timeout(Duration.ofSeconds(10)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    tally = JSON.readTree(response.body());
                    if (tally.get("position").asLong() >= position) {
                        return tally;
                    }
                }
            } catch (IOException e) {
                // try again
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the tally of " + electionId + " did not reach position " + position
                + "; it is " + tally);
    }

    private JsonNode send(String method, String url, Object body, int expected) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .timeout(Duration.ofSeconds(30)).build();
            return answer(request, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode answer(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
