package voting.command;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.springframework.stereotype.Component;
import voting.events.BallotCommands.BallotCommand;

/**
 * Which aggregate a command is for. A ballot command names its ballot; Axon's default resolver would look for an
 * annotated field or method by reflection on every command, about a third of the ballot box writer's time at
 * saturation (JFR, 2026-12-06). Other commands (elections: a few per election) are resolved as Axon does.
 * Axon uses this bean for every aggregate.
 */
@Component
public class CommandTargets implements CommandTargetResolver {

    private final CommandTargetResolver byAnnotation = AnnotationCommandTargetResolver.builder().build();

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        return command.getPayload() instanceof BallotCommand ballotCommand
                ? new VersionedAggregateIdentifier(ballotCommand.ballotId(), null)
                : byAnnotation.resolveTarget(command);
    }
}
