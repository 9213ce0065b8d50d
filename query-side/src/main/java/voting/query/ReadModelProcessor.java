package voting.query;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.stereotype.Component;

import java.util.Collection;

/** The pooled streaming processor that keeps every read model, as the replay and the statistics need it. */
@Component
public class ReadModelProcessor {

    public static final String NAME = "read-models";

    private final EventProcessingConfiguration processing;

    ReadModelProcessor(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    public StreamingEventProcessor processor() {
        return processing.eventProcessor(NAME, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("No event processor " + NAME));
    }

    /** The segments this instance processes now, each with the global index up to which it has applied events. */
    public Collection<EventTrackerStatus> segments() {
        return processor().processingStatus().values();
    }

    /** The global index up to which every segment here has applied the events; -1 before the first event. */
    public static long appliedUpTo(Collection<EventTrackerStatus> segments) {
        return segments.stream().mapToLong(segment -> segment.getCurrentPosition().orElse(-1)).min().orElse(-1);
    }
}
