package voting.query.tally;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One feed of tallies per election, shared by all its live watchers. A single task reads the tallies of the
 * watched elections every {@code voting.query.tally-interval-ms} (one statement for all of them, however many
 * watchers there are) and publishes those that changed. That interval also bounds each election's event rate.
 * Reading the table rather than listening to this instance's own projection means every instance serves every
 * election, whichever instance's processor counted its votes.
 */
@Component
class TallyFeeds {

    private static final class Feed {
        /** Replays the newest tally to a new watcher, so nothing published while it connected is missed. */
        final Sinks.Many<Tally> sink = Sinks.many().replay().latest();
        /** Only the publishing task touches it. */
        long published = -1;
    }

    private final Tallies tallies;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();

    TallyFeeds(Tallies tallies) {
        this.tallies = tallies;
    }

    /** The tallies of one election as they change, starting with the newest one published, if any. */
    Flux<Tally> updates(String electionId) {
        return feeds.computeIfAbsent(electionId, id -> new Feed()).sink.asFlux();
    }

    @Scheduled(fixedDelayString = "${voting.query.tally-interval-ms:250}")
    void publish() {
        List<String> watched = feeds.entrySet().stream()
                .filter(feed -> feed.getValue().sink.currentSubscriberCount() > 0)
                .map(Map.Entry::getKey)
                .toList();
        if (watched.isEmpty()) {
            return;
        }
        for (Tally tally : tallies.findAll(watched)) {
            Feed feed = feeds.get(tally.electionId());
            // Only forward: while a replay rebuilds the tallies they pass through older positions.
            if (tally.position() > feed.published) {
                feed.published = tally.position();
                feed.sink.emitNext(tally, Sinks.EmitFailureHandler.FAIL_FAST);
            }
        }
    }
}
