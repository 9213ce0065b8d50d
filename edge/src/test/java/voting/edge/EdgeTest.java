package voting.edge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.http.MediaType;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static voting.edge.ProblemAssertions.assertNoServerInsides;
import static voting.edge.ProblemAssertions.assertProblem;
import static voting.edge.ProblemAssertions.json;

/** The edge on a real port in front of two stub services, driven over plain HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "voting.admin-token=" + EdgeTest.ADMIN_TOKEN,
        "voting.edge.health-timeout=500ms",
        // Tests tell clients apart by X-Forwarded-For, as behind one load balancer.
        "voting.edge.rate-limit.trusted-proxies=1",
        "voting.edge.rate-limit.votes.per-minute=6",
        "voting.edge.rate-limit.votes.burst=3",
        "voting.edge.rate-limit.ballot-tokens.per-minute=2",
        "voting.edge.rate-limit.ballot-tokens.burst=2"})
class EdgeTest {

    static final String ADMIN_TOKEN = "test-admin-token";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
            + "form-action 'self'";

    static final StubUpstream command = StubUpstream.start("command");
    static final StubUpstream query = StubUpstream.start("query");
    static final Path clientDir = clientDir();
    private static final AtomicInteger clients = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    HttpClientProperties httpClient;
    @Autowired
    GatewayProperties gateway;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("voting.edge.command-url", command::url);
        registry.add("voting.edge.query-url", query::url);
        registry.add("voting.edge.client-dir", clientDir::toString);
    }

    @AfterAll
    static void stopUpstreams() {
        command.close();
        query.close();
    }

    EdgeHttp http() {
        return new EdgeHttp(port);
    }

    /** A client address of its own, so no test spends another's rate limit. */
    static String[] freshClient(String... headers) {
        List<String> all = new ArrayList<>(Arrays.asList(headers));
        all.addAll(List.of("X-Forwarded-For", "192.0.2." + clients.incrementAndGet()));
        return all.toArray(String[]::new);
    }

    @ParameterizedTest
    @CsvSource({
            "POST, /api/v1/elections/route-1/ballot-tokens, command",
            "POST, /api/v1/elections/route-2/votes, command",
            "POST, /api/v1/admin/elections, command",
            "POST, /api/v1/admin/elections/route-3/open, command",
            "POST, /api/v1/admin/elections/route-4/close, command",
            "POST, /api/v1/admin/elections/route-5/credentials, command",
            "GET, /api/v1/elections, query",
            "GET, /api/v1/elections/route-6, query",
            "GET, /api/v1/elections/route-7/tally, query",
            "GET, /api/v1/elections/route-8/ballots?after=5, query",
            "GET, /api/v1/admin/elections/route-9/stats, query",
            "POST, /api/v1/admin/replay, query"})
    void routesEachContractPathToTheSideThatOwnsIt(String method, String path, String side) {
        String[] headers = freshClient("Authorization", "Bearer " + ADMIN_TOKEN, "Idempotency-Key", "\"k-1\"");
        HttpResponse<String> response = method.equals("GET") ? http().get(path, headers)
                : http().post(path, "{\"count\":1}".getBytes(), headers);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response.body());
        assertThat(answer.path("upstream").asText()).isEqualTo(side);
        assertThat(answer.path("method").asText()).isEqualTo(method);
        assertThat(answer.path("uri").asText()).isEqualTo(path);
        StubUpstream owner = side.equals("command") ? command : query;
        StubUpstream other = side.equals("command") ? query : command;
        assertThat(owner.saw(path)).isTrue();
        assertThat(other.saw(path)).isFalse();
        StubUpstream.Arrival arrival = owner.arrivals().stream().filter(a -> a.uri().equals(path)).findFirst().orElseThrow();
        assertThat(arrival.headers().get("Authorization")).isEqualTo("Bearer " + ADMIN_TOKEN);
        assertThat(arrival.headers().get("Idempotency-Key")).isEqualTo("\"k-1\"");
    }

    @Test
    void anApiPathOutsideTheContractIsANotFoundProblemAndReachesNoService() {
        for (String path : List.of("/api/v1/nothing", "/api/v2/elections", "/api/v1/elections/x/y/z", "/api")) {
            assertProblem(http().get(path), 404, "not-found", false);
            assertProblem(http().post(path, "{}".getBytes()), 404, "not-found", false);
            assertThat(command.saw(path) || query.saw(path)).as(path).isFalse();
        }
        assertProblem(http().get("/actuator/env"), 404, "not-found", false);
    }

    @Test
    void liveResultsStreamThroughEventByEvent() throws Exception {
        CompletableFuture<Void> release = query.newStreamRelease();
        HttpRequest request = HttpRequest.newBuilder(http().uri("/api/v1/elections/live/tally/stream?lastEventId=0"))
                .header("Accept", "text/event-stream").GET().build();
        try {
            // The upstream holds the second event back until the client has seen the first: a buffering edge
            // would send neither (nor even its headers) in time.
            HttpResponse<Stream<String>> response = http().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .get(5, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            Iterator<String> lines = response.body().iterator();
            List<String> first = CompletableFuture.supplyAsync(() -> nextEvent(lines)).get(5, TimeUnit.SECONDS);
            assertThat(first).containsExactly("event: tally", "id: 1", "data: {\"position\":1}");
            assertThat(release).isNotDone();

            release.complete(null);
            assertThat(nextEvent(lines)).containsExactly("event: tally", "id: 2", "data: {\"position\":2}");
            assertThat(lines.hasNext()).isFalse();
            assertThat(query.saw("/api/v1/elections/live/tally/stream?lastEventId=0")).isTrue();
        } finally {
            release.complete(null);
        }
    }

    private static List<String> nextEvent(Iterator<String> lines) {
        List<String> event = new ArrayList<>();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                return event;
            }
            event.add(line);
        }
        return event;
    }

    @Test
    void hashedAssetsAreImmutableAndEverythingElseIsRevalidated() {
        for (String asset : List.of("/assets/app-3f9a1c.js", "/assets/app-77d0e2.css")) {
            HttpResponse<String> response = http().get(asset);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=31536000, public, immutable");
        }
        assertThat(http().get("/assets/app-3f9a1c.js").headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));

        for (String page : List.of("/", "/index.html", "/sw.js", "/manifest.webmanifest")) {
            HttpResponse<String> response = http().get(page, "Accept", "text/html");
            assertThat(response.statusCode()).as(page).isEqualTo(200);
            assertThat(response.headers().firstValue("Cache-Control")).as(page).hasValue("no-cache");
            assertThat(response.headers().firstValue("ETag")).as(page).isPresent();
        }
        assertThat(http().get("/").body()).contains("test client index");
        assertThat(http().get("/manifest.webmanifest").headers().firstValue("Content-Type"))
                .hasValue("application/manifest+json");
    }

    @Test
    void aRevalidatedPageThatDidNotChangeIsNotSentAgain() {
        String etag = http().get("/index.html").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = http().get("/index.html", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void clientRoutesLoadTheAppButMissingFilesAreNotFound() {
        HttpResponse<String> page = http().get("/elections/demo", "Accept", "text/html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("test client index");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));

        assertProblem(http().get("/assets/app-000000.js"), 404, "not-found", false);
        assertProblem(http().get("/favicon.png"), 404, "not-found", false);
        assertThat(http().get("/assets/app-000000.js").headers().firstValue("Cache-Control")).isEmpty();
        assertProblem(http().post("/elections/demo", "{}".getBytes()), 404, "not-found", false);
    }

    @Test
    void aClientDirectoryIsServedBeforeTheClasspath() {
        HttpResponse<String> fromDirectory = http().get("/from-directory.txt");
        assertThat(fromDirectory.statusCode()).isEqualTo(200);
        assertThat(fromDirectory.body()).isEqualTo("served from the client directory\n");
        assertThat(http().get("/assets/dir-5e5e5e.js").headers().firstValue("Cache-Control"))
                .hasValue("max-age=31536000, public, immutable");
    }

    @Test
    void everyAnswerCarriesTheBrowserProtections() {
        List<HttpResponse<String>> answers = List.of(
                http().get("/index.html"),
                http().get("/assets/app-3f9a1c.js"),
                http().get("/api/v1/elections"),
                http().get("/api/v1/nothing"),
                http().get("/actuator/health"));
        for (HttpResponse<String> answer : answers) {
            String what = answer.uri().toString();
            assertThat(answer.headers().firstValue("Content-Security-Policy")).as(what).hasValue(CSP);
            assertThat(answer.headers().allValues("Content-Security-Policy")).as(what).hasSize(1);
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(what).hasValue("no-referrer");
            assertThat(answer.headers().firstValue("X-Frame-Options")).as(what).hasValue("DENY");
            assertThat(answer.headers().firstValue("Strict-Transport-Security")).as(what).isEmpty();
        }
    }

    @Test
    void strictTransportSecurityOnlyWhenTheBrowserUsedHttps() {
        HttpResponse<String> https = http().get("/index.html", "X-Forwarded-Proto", "https");
        assertThat(https.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000; includeSubDomains");
        HttpResponse<String> proxied = http().get("/api/v1/elections", "X-Forwarded-Proto", "https");
        assertThat(proxied.headers().firstValue("Strict-Transport-Security")).isPresent();
    }

    @Test
    void aVoteOverSixteenKibibytesIsRefusedBeforeItReachesTheCommandSide() {
        byte[] tooLarge = filled(17 * 1024);
        assertProblem(http().post("/api/v1/elections/big/votes", tooLarge, freshClient()), 413, "vote-too-large", false);
        assertThat(command.saw("/api/v1/elections/big/votes")).isFalse();

        HttpResponse<String> atTheLimit = http().post("/api/v1/elections/limit/votes", filled(16 * 1024), freshClient());
        assertThat(atTheLimit.statusCode()).isEqualTo(200);
        assertThat(json(atTheLimit.body()).path("bodyBytes").asInt()).isEqualTo(16 * 1024);
    }

    @Test
    void aChunkedBodyIsCountedAsItStreams() {
        assertProblem(http().postChunked("/api/v1/elections/chunked-big/votes", filled(17 * 1024), freshClient()),
                413, "vote-too-large", false);

        HttpResponse<String> small = http().postChunked("/api/v1/elections/chunked-small/votes", filled(1024), freshClient());
        assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
        assertThat(json(small.body()).path("bodyBytes").asInt()).isEqualTo(1024);
    }

    @Test
    void otherPathsRefuseBodiesOverSixtyFourKibibytes() {
        String[] admin = {"Authorization", "Bearer " + ADMIN_TOKEN};
        assertProblem(http().post("/api/v1/admin/elections/huge/credentials", filled(65 * 1024), admin),
                413, "request-too-large", false);
        assertProblem(http().post("/api/v1/elections/huge/ballot-tokens", filled(65 * 1024), freshClient()),
                413, "request-too-large", false);
        assertThat(command.saw("/api/v1/admin/elections/huge/credentials")).isFalse();
        assertThat(http().post("/api/v1/admin/elections/fits/credentials", filled(64 * 1024), admin).statusCode())
                .isEqualTo(200);
    }

    @Test
    void votesBeyondTheBurstAreRateLimitedPerClient() {
        String[] client = {"X-Forwarded-For", "198.51.100.1, 203.0.113.7"};
        for (int i = 0; i < 3; i++) {
            assertThat(http().post("/api/v1/elections/rl/votes", "{}".getBytes(), client).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = http().post("/api/v1/elections/rl/votes", "{}".getBytes(), client);
        assertProblem(limited, 429, "rate-limited", true);
        // 6 a minute: the next permit is at most 10 s away.
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 10L);

        // What the client wrote left of our proxy's entry does not make it someone else.
        assertThat(http().post("/api/v1/elections/rl/votes", "{}".getBytes(),
                "X-Forwarded-For", "10.9.9.9, 203.0.113.7").statusCode()).isEqualTo(429);
        assertThat(http().post("/api/v1/elections/rl/votes", "{}".getBytes(),
                "X-Forwarded-For", "203.0.113.8").statusCode()).isEqualTo(200);
    }

    @Test
    void ballotTokenRequestsHaveTheirOwnLimit() {
        String[] client = {"X-Forwarded-For", "203.0.113.20"};
        assertThat(http().post("/api/v1/elections/rl/votes", "{}".getBytes(), client).statusCode()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            assertThat(http().post("/api/v1/elections/rl/ballot-tokens", "{}".getBytes(), client).statusCode())
                    .isEqualTo(200);
        }
        HttpResponse<String> limited = http().post("/api/v1/elections/rl/ballot-tokens", "{}".getBytes(), client);
        assertProblem(limited, 429, "rate-limited", true);
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 30L);
        // Reads are never rate limited.
        for (int i = 0; i < 10; i++) {
            assertThat(http().get("/api/v1/elections/rl/tally", client).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theAdminTokenBypassesTheRateLimitAndAWrongOneDoesNot() {
        for (int i = 0; i < 20; i++) {
            assertThat(http().post("/api/v1/elections/bench/votes", "{}".getBytes(),
                    "X-Forwarded-For", "203.0.113.30", "Authorization", "Bearer " + ADMIN_TOKEN).statusCode())
                    .isEqualTo(200);
        }
        String[] wrong = {"X-Forwarded-For", "203.0.113.30", "Authorization", "Bearer not-the-token"};
        for (int i = 0; i < 3; i++) {
            assertThat(http().post("/api/v1/elections/bench/votes", "{}".getBytes(), wrong).statusCode()).isEqualTo(200);
        }
        assertProblem(http().post("/api/v1/elections/bench/votes", "{}".getBytes(), wrong), 429, "rate-limited", true);
    }

    @Test
    void healthIsUpOnlyWhenBothSidesAre() {
        try {
            HttpResponse<String> up = http().get("/actuator/health");
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            JsonNode health = json(up.body());
            assertThat(health.path("status").asText()).isEqualTo("UP");
            assertThat(health.at("/components/commandSide/status").asText()).isEqualTo("UP");
            assertThat(health.at("/components/querySide/status").asText()).isEqualTo("UP");

            query.reportHealth("DOWN", Duration.ZERO);
            HttpResponse<String> down = http().get("/actuator/health");
            assertThat(down.statusCode()).isEqualTo(503);
            health = json(down.body());
            assertThat(health.path("status").asText()).isEqualTo("DOWN");
            assertThat(health.at("/components/commandSide/status").asText()).isEqualTo("UP");
            assertThat(health.at("/components/querySide/status").asText()).isEqualTo("DOWN");
            assertThat(health.at("/components/querySide/details/reported").asText()).isEqualTo("DOWN");

            query.reportHealth("UP", Duration.ofSeconds(3));
            HttpResponse<String> slow = http().get("/actuator/health");
            assertThat(slow.statusCode()).isEqualTo(503);
            assertThat(json(slow.body()).at("/components/querySide/details/reason").asText()).startsWith("no answer");
            assertNoServerInsides(slow.body());
        } finally {
            query.reportHealth("UP", Duration.ZERO);
        }
    }

    @Test
    void upstreamConnectionsArePooledAndStreamsAreFlushedAsTheyCome() {
        assertThat(httpClient.getPool().getType()).isEqualTo(HttpClientProperties.Pool.PoolType.FIXED);
        assertThat(httpClient.getPool().getMaxConnections()).isEqualTo(2048);
        assertThat(httpClient.getConnectTimeout()).isEqualTo(2000);
        assertThat(gateway.getStreamingMediaTypes()).contains(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_NDJSON);
    }

    @Test
    void errorsAreProblemsWithoutStackTraces() {
        assertProblem(http().post("/index.html", "{}".getBytes()), 405, "method-not-allowed", false);
        assertProblem(http().get("/api/v1/nothing"), 404, "not-found", false);
        HttpResponse<String> traced = http().get("/api/v1/nothing?trace=true");
        assertProblem(traced, 404, "not-found", false);
    }

    private static byte[] filled(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'a');
        return bytes;
    }

    private static Path clientDir() {
        try {
            Path dir = Files.createTempDirectory("edge-client");
            Files.createDirectories(dir.resolve("assets"));
            Files.writeString(dir.resolve("from-directory.txt"), "served from the client directory\n");
            Files.writeString(dir.resolve("assets/dir-5e5e5e.js"), "console.log('dir');\n");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
