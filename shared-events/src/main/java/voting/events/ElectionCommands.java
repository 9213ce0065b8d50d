package voting.events;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

/** Commands on the Election aggregate. */
public final class ElectionCommands {

    private ElectionCommands() {
    }

    public record CreateElection(@TargetAggregateIdentifier String electionId,
                                 String title,
                                 String description,
                                 List<ElectionOption> options,
                                 Instant opensAt,
                                 Instant closesAt,
                                 Eligibility eligibility,
                                 boolean liveResults,
                                 boolean revoting,
                                 PublishedKey issuerKey,
                                 PublishedKey receiptKey) {
    }

    /** Open now ({@code at} is the current time) or at the election's scheduled opening ({@code at} = opensAt). */
    public record OpenElection(@TargetAggregateIdentifier String electionId, Instant at) {
    }

    /** Close now or at the election's scheduled closing, as for {@link OpenElection}. */
    public record CloseElection(@TargetAggregateIdentifier String electionId, Instant at) {
    }
}
