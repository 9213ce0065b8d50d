package voting.query;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.springframework.stereotype.Component;
import voting.events.BallotEvents.VoteCast;
import voting.events.ElectionEvents.ElectionClosed;
import voting.events.ElectionEvents.ElectionCreated;
import voting.events.ElectionEvents.ElectionOpened;

/**
 * Sends every event of one election to the same segment of the read-model processor, in order: an election's
 * creation before its votes, and one writer for its tally and its board numbering. Votes are events of Ballot
 * aggregates, so Axon's default (per aggregate) would scatter them.
 */
@Component("electionSequencing")
class ElectionSequencing implements SequencingPolicy<EventMessage<?>> {

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        Object payload = event.getPayload();
        if (payload instanceof VoteCast vote) {
            return vote.electionId();
        }
        if (payload instanceof ElectionCreated created) {
            return created.electionId();
        }
        if (payload instanceof ElectionOpened opened) {
            return opened.electionId();
        }
        if (payload instanceof ElectionClosed closed) {
            return closed.electionId();
        }
        return SequentialPerAggregatePolicy.instance().getSequenceIdentifierFor(event);
    }
}
