package voting.command.election;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import voting.service.Problem;
import voting.events.ElectionCommands.CloseElection;
import voting.events.ElectionCommands.CreateElection;
import voting.events.ElectionCommands.OpenElection;
import voting.events.ElectionEvents.ElectionClosed;
import voting.events.ElectionEvents.ElectionCreated;
import voting.events.ElectionEvents.ElectionOpened;
import voting.events.ElectionOption;

import java.util.HashSet;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An election's life: draft, open, closed. It guards only that life and the shape of the ballot;
 * votes never touch it (they go to their own Ballot), so it is never a hot aggregate.
 */
@Aggregate
class Election {

    enum Status { draft, open, closed }

    @AggregateIdentifier
    private String electionId;
    private Status status;

    Election() {
    }

    @CommandHandler
    Election(CreateElection command) {
        if (command.title() == null || command.title().isBlank()) {
            throw Problem.INVALID_ELECTION.because("An election needs a title");
        }
        if (command.options() == null || command.options().size() < 2) {
            throw Problem.INVALID_ELECTION.because("An election needs at least two options");
        }
        Set<String> ids = new HashSet<>();
        for (ElectionOption option : command.options()) {
            if (!ids.add(option.id())) {
                throw Problem.INVALID_ELECTION.because("Option id '" + option.id() + "' is used twice");
            }
        }
        if (command.opensAt() != null && command.closesAt() != null && !command.closesAt().isAfter(command.opensAt())) {
            throw Problem.INVALID_ELECTION.because("closesAt must be after opensAt");
        }
        apply(new ElectionCreated(command.electionId(), command.title(), command.description(), command.options(),
                command.opensAt(), command.closesAt(), command.eligibility(), command.liveResults(), command.revoting(),
                command.issuerKey(), command.receiptKey()));
    }

    @CommandHandler
    void handle(OpenElection command) {
        if (status == Status.closed) {
            throw Problem.ELECTION_CLOSED.because("A closed election cannot be opened again");
        }
        if (status == Status.draft) {
            apply(new ElectionOpened(electionId, command.at()));
        }
    }

    @CommandHandler
    void handle(CloseElection command) {
        if (status != Status.closed) {
            apply(new ElectionClosed(electionId, command.at()));
        }
    }

    @EventSourcingHandler
    void on(ElectionCreated event) {
        electionId = event.electionId();
        status = Status.draft;
    }

    @EventSourcingHandler
    void on(ElectionOpened event) {
        status = Status.open;
    }

    @EventSourcingHandler
    void on(ElectionClosed event) {
        status = Status.closed;
    }
}
