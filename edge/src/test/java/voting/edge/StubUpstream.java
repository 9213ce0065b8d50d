package voting.edge;

import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server standing in for the command or the query side: it records what reaches it and answers with
 * its name, so a test sees where the edge sent a request.
 */
final class StubUpstream implements AutoCloseable {

    record Arrival(String method, String uri, HttpHeaders headers) {
    }

    private final String name;
    private final DisposableServer server;
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private volatile String healthStatus = "UP";
    private volatile Duration healthDelay = Duration.ZERO;
    private volatile CompletableFuture<Void> streamRelease = new CompletableFuture<>();

    private StubUpstream(String name) {
        this.name = name;
        this.server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/actuator/health", this::health)
                        .get("/api/v1/elections/{id}/tally/stream", this::tallyStream)
                        .route(request -> true, this::echo))
                .bindNow();
    }

    static StubUpstream start(String name) {
        return new StubUpstream(name);
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    List<Arrival> arrivals() {
        return arrivals;
    }

    boolean saw(String uri) {
        return arrivals.stream().anyMatch(arrival -> arrival.uri().equals(uri));
    }

    void reportHealth(String status, Duration delay) {
        this.healthStatus = status;
        this.healthDelay = delay;
    }

    /** The stream endpoint sends one event, then waits for this before sending the last and completing. */
    CompletableFuture<Void> newStreamRelease() {
        streamRelease = new CompletableFuture<>();
        return streamRelease;
    }

    private Mono<Void> health(HttpServerRequest request, HttpServerResponse response) {
        String status = healthStatus;
        return Mono.delay(healthDelay).then(response
                .status("UP".equals(status) ? 200 : 503)
                .header("Content-Type", "application/vnd.spring-boot.actuator.v3+json")
                .sendString(Mono.just("{\"status\":\"" + status + "\"}"))
                .then());
    }

    private Mono<Void> tallyStream(HttpServerRequest request, HttpServerResponse response) {
        arrivals.add(new Arrival(request.method().name(), request.uri(), request.requestHeaders()));
        CompletableFuture<Void> release = streamRelease;
        Flux<String> events = Flux.concat(
                Mono.just("event: tally\nid: 1\ndata: {\"position\":1}\n\n"),
                Mono.fromFuture(release).then(Mono.just("event: tally\nid: 2\ndata: {\"position\":2}\n\n")));
        return response.header("Content-Type", "text/event-stream").sendString(events).then();
    }

    /** Answers 200 with its name, what it was asked and the body's size; after X-Stub-Delay-Ms if sent. */
    private Mono<Void> echo(HttpServerRequest request, HttpServerResponse response) {
        arrivals.add(new Arrival(request.method().name(), request.uri(), request.requestHeaders()));
        String delayMs = request.requestHeaders().get("X-Stub-Delay-Ms", "0");
        return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                .delayElement(Duration.ofMillis(Long.parseLong(delayMs)))
                .flatMap(body -> response.status(200)
                        .header("Content-Type", "application/json")
                        .sendString(Mono.just("{\"upstream\":\"" + name + "\",\"method\":\"" + request.method().name()
                                + "\",\"uri\":\"" + request.uri() + "\",\"bodyBytes\":" + body.length + "}"))
                        .then());
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
