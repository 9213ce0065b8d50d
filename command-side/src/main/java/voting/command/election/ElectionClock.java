package voting.command.election;

import voting.events.ElectionDetail;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import voting.events.ElectionCommands.CloseElection;
import voting.events.ElectionCommands.OpenElection;

import java.time.Instant;

/**
 * Records the opening and closing that elections' schedules call for. Intake already follows the schedule by
 * itself ({@link ElectionDetail#statusAt}); this makes the event history say so, with the scheduled times.
 */
@Component
class ElectionClock {

    private static final Logger log = LoggerFactory.getLogger(ElectionClock.class);

    private final ElectionDirectory directory;
    private final CommandGateway commands;

    ElectionClock(ElectionDirectory directory, CommandGateway commands) {
        this.directory = directory;
        this.commands = commands;
    }

    @Scheduled(fixedDelayString = "${voting.elections.clock-ms:1000}")
    void tick() {
        Instant now = Instant.now();
        for (ElectionDetail election : directory.all()) {
            String due = election.statusAt(now);
            if (due.equals(election.status())) {
                continue;
            }
            try {
                if (election.status().equals("draft") && election.opensAt() != null && !now.isBefore(election.opensAt())) {
                    commands.sendAndWait(new OpenElection(election.id(), election.opensAt()));
                }
                if (due.equals("closed")) {
                    commands.sendAndWait(new CloseElection(election.id(), election.closesAt()));
                }
            } catch (RuntimeException e) {
                log.warn("Could not record the scheduled change of election {}: {}", election.id(), e.toString());
            }
        }
    }
}
