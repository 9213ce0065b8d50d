package voting.command.election;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import voting.service.Problem;
import voting.events.ElectionCommands.CloseElection;
import voting.events.ElectionCommands.CreateElection;
import voting.events.ElectionCommands.OpenElection;
import voting.events.ElectionEvents.ElectionClosed;
import voting.events.ElectionEvents.ElectionCreated;
import voting.events.ElectionEvents.ElectionOpened;
import voting.events.ElectionOption;
import voting.events.Eligibility;
import voting.events.PublishedKey;

import java.time.Instant;
import java.util.List;

import static voting.command.RejectedWith.problem;

/** An election's life: created as a draft, opened, closed, and never opened again. */
class ElectionTest {

    private static final String ELECTION = "election-1";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final PublishedKey ISSUER = new PublishedKey("issuer-kid", "RSABSSA-SHA384-PSS-Randomized", "spki");
    private static final PublishedKey RECEIPT = new PublishedKey("receipt-kid", "Ed25519", "spki");
    private static final List<ElectionOption> TWO_OPTIONS = List.of(new ElectionOption("yes", "Yes"), new ElectionOption("no", "No"));

    private AggregateTestFixture<Election> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Election.class);
    }

    @Test
    void an_election_is_created_with_its_public_keys() {
        fixture.givenNoPriorActivity()
                .when(create(TWO_OPTIONS, null, null))
                .expectEvents(created(TWO_OPTIONS, null, null));
    }

    @Test
    void an_election_needs_at_least_two_options() {
        fixture.givenNoPriorActivity()
                .when(create(List.of(new ElectionOption("yes", "Yes")), null, null))
                .expectNoEvents()
                .expectException(problem(Problem.INVALID_ELECTION));
    }

    @Test
    void option_ids_are_unique() {
        fixture.givenNoPriorActivity()
                .when(create(List.of(new ElectionOption("yes", "Yes"), new ElectionOption("yes", "Also yes")), null, null))
                .expectNoEvents()
                .expectException(problem(Problem.INVALID_ELECTION));
    }

    @Test
    void an_election_closes_after_it_opens() {
        fixture.givenNoPriorActivity()
                .when(create(TWO_OPTIONS, NOW, NOW.minusSeconds(1)))
                .expectNoEvents()
                .expectException(problem(Problem.INVALID_ELECTION));
    }

    @Test
    void a_draft_opens() {
        fixture.given(created(TWO_OPTIONS, null, null))
                .when(new OpenElection(ELECTION, NOW))
                .expectEvents(new ElectionOpened(ELECTION, NOW));
    }

    @Test
    void opening_an_open_election_changes_nothing() {
        fixture.given(created(TWO_OPTIONS, null, null), new ElectionOpened(ELECTION, NOW))
                .when(new OpenElection(ELECTION, NOW.plusSeconds(5)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void an_open_election_closes() {
        fixture.given(created(TWO_OPTIONS, null, null), new ElectionOpened(ELECTION, NOW))
                .when(new CloseElection(ELECTION, NOW.plusSeconds(60)))
                .expectEvents(new ElectionClosed(ELECTION, NOW.plusSeconds(60)));
    }

    @Test
    void closing_a_closed_election_changes_nothing() {
        fixture.given(created(TWO_OPTIONS, null, null), new ElectionClosed(ELECTION, NOW))
                .when(new CloseElection(ELECTION, NOW.plusSeconds(5)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void a_closed_election_never_opens_again() {
        fixture.given(created(TWO_OPTIONS, null, null), new ElectionOpened(ELECTION, NOW), new ElectionClosed(ELECTION, NOW))
                .when(new OpenElection(ELECTION, NOW.plusSeconds(5)))
                .expectNoEvents()
                .expectException(problem(Problem.ELECTION_CLOSED));
    }

    private static CreateElection create(List<ElectionOption> options, Instant opensAt, Instant closesAt) {
        return new CreateElection(ELECTION, "Board election", "Who joins the board", options, opensAt, closesAt,
                Eligibility.open, true, false, ISSUER, RECEIPT);
    }

    private static ElectionCreated created(List<ElectionOption> options, Instant opensAt, Instant closesAt) {
        return new ElectionCreated(ELECTION, "Board election", "Who joins the board", options, opensAt, closesAt,
                Eligibility.open, true, false, ISSUER, RECEIPT);
    }

}
