package voting.query.tally;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One watcher's SSE events: the current tally at once, then each newer one from the election's shared feed, at
 * most one per {@code voting.query.tally-interval-ms}, and heartbeat comments in between.
 * <p>
 * A watcher costs no thread and, while nothing changes, no timer: all watchers share one heartbeat clock, and a
 * timer is only set when a tally must wait for its turn (which the feed's own pace makes rare).
 */
@Component
class TallyStream {

    private final TallyFeeds feeds;
    private final Duration interval;
    private final Flux<Long> heartbeats;

    TallyStream(TallyFeeds feeds,
                @Value("${voting.query.tally-interval-ms:250}") long intervalMillis,
                @Value("${voting.query.heartbeat-ms:10000}") long heartbeatMillis) {
        this.feeds = feeds;
        this.interval = Duration.ofMillis(intervalMillis);
        this.heartbeats = Flux.interval(Duration.ofMillis(heartbeatMillis)).share();
    }

    Flux<ServerSentEvent<Tally>> events(Tally current) {
        Flux<Tally> newer = paced(Flux.concat(Mono.just(current), feeds.updates(current.electionId())));
        Flux<ServerSentEvent<Tally>> tallies = newer.map(tally ->
                ServerSentEvent.builder(tally).event("tally").id(Long.toString(tally.position())).build());
        Flux<ServerSentEvent<Tally>> heartbeat = heartbeats.onBackpressureDrop()
                .map(beat -> ServerSentEvent.<Tally>builder().comment("heartbeat").build());
        return Flux.merge(tallies, heartbeat);
    }

    /**
     * Only newer tallies, at most one per interval. A slow client skips to the newest tally rather than queue
     * old ones.
     */
    private Flux<Tally> paced(Flux<Tally> tallies) {
        return Flux.defer(() -> {
            AtomicLong sentPosition = new AtomicLong(-1);
            AtomicLong nextAllowedNanos = new AtomicLong(System.nanoTime());
            return tallies.onBackpressureLatest().concatMap(tally -> {
                if (tally.position() <= sentPosition.get()) {
                    return Mono.empty();
                }
                long wait = nextAllowedNanos.get() - System.nanoTime();
                Mono<Tally> send = wait > 0 ? Mono.just(tally).delayElement(Duration.ofNanos(wait)) : Mono.just(tally);
                return send.doOnNext(sent -> {
                    sentPosition.set(sent.position());
                    nextAllowedNanos.set(System.nanoTime() + interval.toNanos());
                });
            }, 0);
        });
    }
}
