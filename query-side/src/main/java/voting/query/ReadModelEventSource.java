package voting.query;

import jakarta.annotation.PreDestroy;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The event store as the read-model processor's source, telling it the moment new events arrive.
 * <p>
 * When idle, Axon's pooled processor looks at its event stream again only when the stream calls it back, or
 * every 500 ms for streams that cannot, like the embedded event store's. Half a second of every tally's lag is
 * too much, so this source's streams call back: one thread follows the head of the store and, whenever the store
 * has fetched new events, wakes the processors that wait. (Their coordinators then read the events from the store's
 * shared cache; the thread itself never deserializes one.)
 */
@Component(ReadModelEventSource.BEAN)
class ReadModelEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    static final String BEAN = "readModelEventSource";
    private static final Logger log = LoggerFactory.getLogger(ReadModelEventSource.class);

    private final EventStore eventStore;
    private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();
    private volatile Thread follower;
    private volatile boolean stopped;

    ReadModelEventSource(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new CallingBackStream(eventStore.openStream(trackingToken));
    }

    @Override
    public TrackingToken createTailToken() {
        return eventStore.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return eventStore.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return eventStore.createTokenAt(dateTime);
    }

    private synchronized void startFollowing() {
        if (follower == null && !stopped) {
            follower = new Thread(this::followHead, "event-arrivals");
            follower.setDaemon(true);
            follower.start();
        }
    }

    private void followHead() {
        while (!stopped) {
            try (BlockingStream<TrackedEventMessage<?>> head = eventStore.openStream(eventStore.createHeadToken())) {
                while (!stopped) {
                    if (head.hasNextAvailable(1, TimeUnit.SECONDS)) {
                        while (head.hasNextAvailable()) {
                            head.nextAvailable();
                        }
                        waiting.forEach(Runnable::run);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!stopped) {
                    // The processors still look every 5 s meanwhile; following again soon brings the lag back down.
                    log.warn("Lost the head of the event store; following it again in a second", e);
                    sleepASecond();
                }
            }
        }
    }

    private static void sleepASecond() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (follower != null) {
            follower.interrupt();
        }
    }

    /** The store's own stream, plus the call back when new events have arrived. */
    private final class CallingBackStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> stream;
        private volatile Runnable callback;

        CallingBackStream(BlockingStream<TrackedEventMessage<?>> stream) {
            this.stream = stream;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return stream.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            this.callback = callback;
            waiting.add(callback);
            startFollowing();
            return true;
        }

        @Override
        public void close() {
            Runnable registered = callback;
            if (registered != null) {
                waiting.remove(registered);
            }
            stream.close();
        }
    }
}
