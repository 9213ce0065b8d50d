package voting.events;

import java.time.Instant;
import java.util.List;

/** What happened to an election. The public keys are in the creation event so that auditors have them. */
public final class ElectionEvents {

    private ElectionEvents() {
    }

    public record ElectionCreated(String electionId,
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

    public record ElectionOpened(String electionId, Instant openedAt) {
    }

    public record ElectionClosed(String electionId, Instant closedAt) {
    }
}
