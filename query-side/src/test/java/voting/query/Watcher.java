package voting.query;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** An SSE client of a tally stream, as a browser's EventSource: it records every event with its arrival time. */
public final class Watcher implements AutoCloseable {

    /** An event and when it arrived ({@link System#nanoTime()}). */
    public record Received(ServerSentEvent<JsonNode> event, long atNanos) {
        public boolean isTally() {
            return "tally".equals(event.event());
        }
    }

    private final BlockingQueue<Received> events = new LinkedBlockingQueue<>();
    private final Disposable connection;

    private Watcher(WebClient.RequestHeadersSpec<?> request) {
        this.connection = request.accept(MediaType.TEXT_EVENT_STREAM).retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<JsonNode>>() { })
                .subscribe(event -> events.add(new Received(event, System.nanoTime())));
    }

    /** Watches {@code path}; {@code lastEventId}, when not null, goes in the Last-Event-ID header. */
    public static Watcher watch(WebClient client, String path, String lastEventId) {
        WebClient.RequestHeadersSpec<?> request = client.get().uri(path);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return new Watcher(request);
    }

    /** The next event of any kind, heartbeats included. */
    public Received next(Duration timeout) {
        try {
            Received received = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(received).as("an event within " + timeout).isNotNull();
            return received;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next tally event, skipping heartbeats. */
    public ServerSentEvent<JsonNode> nextTally(Duration timeout) {
        return nextTallyReceived(timeout).event();
    }

    public Received nextTallyReceived(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Received received = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (received.isTally()) {
                return received;
            }
        }
    }

    /** Tally events until one matches; returns that one. */
    public ServerSentEvent<JsonNode> tallyWhere(Predicate<JsonNode> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ServerSentEvent<JsonNode> tally = nextTally(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (wanted.test(tally.data())) {
                return tally;
            }
        }
    }

    @Override
    public void close() {
        connection.dispose();
    }
}
