package voting.command.asitcomes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import voting.command.IntakeTest;
import voting.command.TestVoter;
import voting.command.VotingApi;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's peer writes through Axon's JPA engine into the event store as the services read it: the payload
 * as bytea and the global index from the store's own sequence, one at a time.
 */
@IntakeTest
class JpaEngineTest {

    @Autowired
    WebTestClient http;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventStorageEngine engine;

    @Test
    void a_vote_is_stored_by_axons_jpa_engine_in_the_event_stores_format() {
        assertThat(engine).isInstanceOf(JpaEventStorageEngine.class);
        VotingApi api = new VotingApi(http);
        String electionId = api.openElection(Map.of()).get("id").asText();
        TestVoter voter = TestVoter.ed25519();
        ObjectNode vote = api.vote(electionId, api.token(electionId, voter), voter, "yes", Instant.now());

        assertThat(api.post(vote).getStatus().value()).isEqualTo(201);

        Map<String, Object> event = jdbc.queryForMap("SELECT global_index, convert_from(payload, 'UTF8') AS payload "
                + "FROM domain_event_entry WHERE payload_type LIKE '%VoteCast' ORDER BY global_index DESC LIMIT 1");
        assertThat((String) event.get("payload")).contains(vote.get("voteId").asText());
        assertThat(event.get("global_index")).isEqualTo(
                jdbc.queryForObject("SELECT last_value FROM domain_event_entry_global_index_seq", Long.class));
        assertThat(api.post(vote).getStatus().value()).isEqualTo(200);
    }
}
