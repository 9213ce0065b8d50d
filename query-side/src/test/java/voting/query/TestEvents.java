package voting.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;
import voting.crypto.Digests;
import voting.events.BallotEvents.VoteCast;
import voting.events.ElectionEvents.ElectionClosed;
import voting.events.ElectionEvents.ElectionCreated;
import voting.events.ElectionEvents.ElectionOpened;
import voting.events.ElectionOption;
import voting.events.Eligibility;
import voting.events.PublishedKey;
import voting.events.SignedVote;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Appends the command side's events straight to the event store, as the command side would: domain events of
 * Election and Ballot aggregates, each with its aggregate's next sequence number. Every election has the options
 * yes, no and maybe.
 */
public final class TestEvents {

    public static final List<String> OPTIONS = List.of("yes", "no", "maybe");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EventStore eventStore;
    private final Map<String, Long> sequences = new ConcurrentHashMap<>();

    public TestEvents(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** An election with live results, no schedule, in draft. */
    public String createElection() {
        return createElection(true, null, null);
    }

    public String createElection(boolean liveResults, Instant opensAt, Instant closesAt) {
        String electionId = "test-" + UUID.randomUUID();
        publish(List.of(event("Election", electionId, new ElectionCreated(electionId, "Election " + electionId, null,
                OPTIONS.stream().map(id -> new ElectionOption(id, id.toUpperCase())).toList(), opensAt, closesAt,
                Eligibility.open, liveResults, true,
                new PublishedKey("issuer-" + electionId, "RSABSSA-SHA384-PSS-Randomized", random()),
                new PublishedKey("receipt-kid", "Ed25519", random())))));
        return electionId;
    }

    public void open(String electionId) {
        publish(List.of(event("Election", electionId, new ElectionOpened(electionId, Instant.now()))));
    }

    public void close(String electionId) {
        publish(List.of(event("Election", electionId, new ElectionClosed(electionId, Instant.now()))));
    }

    /** A first vote on a new ballot; returns the ballot's id. */
    public String vote(String electionId, String choice) {
        String ballotId = random();
        revote(ballotId, electionId, choice);
        return ballotId;
    }

    /** Votes on new ballots, all appended in one transaction; returns the ballot ids. */
    public List<String> votes(String electionId, List<String> choices) {
        List<String> ballotIds = new ArrayList<>();
        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (String choice : choices) {
            String ballotId = random();
            ballotIds.add(ballotId);
            events.add(event("Ballot", ballotId, voteCast(ballotId, electionId, choice)));
        }
        publish(events);
        return ballotIds;
    }

    /** Another vote on an existing ballot (or the first on a ballot named by the caller). */
    public void revote(String ballotId, String electionId, String choice) {
        publish(List.of(event("Ballot", ballotId, voteCast(ballotId, electionId, choice))));
    }

    private static VoteCast voteCast(String ballotId, String electionId, String choice) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SignedVote vote = new SignedVote(1, electionId, UUID.randomUUID().toString(), choice, now.toString(),
                UUID.randomUUID().toString(), new SignedVote.BallotToken("issuer-" + electionId, "Ed25519", random(),
                random(), random()), random());
        String voteHash = Base64Url.encode(Digests.sha256(CanonicalJson.of(JSON.valueToTree(vote))));
        return new VoteCast(ballotId, electionId, vote, voteHash, now, "receipt-kid");
    }

    private DomainEventMessage<?> event(String type, String aggregateId, Object payload) {
        long sequence = sequences.merge(aggregateId, 0L, (last, zero) -> last + 1);
        return new GenericDomainEventMessage<>(type, aggregateId, sequence, payload);
    }

    private void publish(List<DomainEventMessage<?>> events) {
        eventStore.publish(events);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64Url.encode(bytes);
    }
}
