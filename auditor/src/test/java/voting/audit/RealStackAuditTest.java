package voting.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auditor against the real platform: the command side and the query side run from their jars on a real
 * PostgreSQL, votes are cast through the command side's HTTP API with real tokens and signatures, and the query
 * side projects them onto the board and into the tally. Then the stored rows are tampered with, one way per test,
 * and the audit must find and name each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealStackAuditTest {

    private Platform platform;
    private String db;

    @BeforeAll
    void start() throws Exception {
        platform = Platform.start();
        db = TestDatabase.servicesUrl();
    }

    @AfterAll
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    /** An election with {@code voters} votes (and revotes, with revoting), closed, fully on the board. */
    private String closedElection(boolean revoting, int voters) throws InterruptedException {
        String id = platform.openElection(revoting, true);
        int votes = platform.vote(id, voters, revoting);
        platform.close(id);
        platform.awaitTally(id, votes);
        return id;
    }

    @Test
    void an_election_with_thousands_of_votes_audits_clean_from_the_event_store_and_over_http() throws Exception {
        String id = closedElection(true, 2000);

        AuditRun fromEvents = AuditRun.jdbc(id, db);
        assertThat(fromEvents.kinds()).isEmpty();
        assertThat(fromEvents.exitCode()).isEqualTo(Auditor.CLEAN);
        assertThat(fromEvents.json().at("/counts/votes").asLong()).isEqualTo(2200);
        assertThat(fromEvents.json().at("/counts/validVotes").asLong()).isEqualTo(2200);
        assertThat(fromEvents.json().at("/counts/ballots").asLong()).isEqualTo(2000);
        assertThat(fromEvents.json().at("/counts/boardLines").asLong()).isEqualTo(2200);
        assertThat(fromEvents.json().at("/counts/receipts").asLong()).isEqualTo(2200);
        assertThat(fromEvents.json().at("/tally/position").asLong()).isEqualTo(2200);
        assertThat(fromEvents.json().at("/tally/recount")).isEqualTo(fromEvents.json().at("/tally/published"));
        assertThat(fromEvents.json().at("/result/total").asLong()).isEqualTo(2000);
        // Every fifth voter used ES256; every tenth changed their mind: 67 yes to no, 67 no to maybe, 66 maybe to yes.
        assertThat(fromEvents.json().at("/result/counts").toString())
                .isEqualTo("{\"yes\":666,\"no\":667,\"maybe\":667}");

        AuditRun overHttp = AuditRun.url(id, platform.queryUrl);
        assertThat(overHttp.kinds()).isEmpty();
        assertThat(overHttp.exitCode()).isEqualTo(Auditor.CLEAN);
        assertThat(overHttp.json().at("/counts/votes").asLong()).isEqualTo(2200);
        assertThat(overHttp.json().at("/counts/ballots").asLong()).isEqualTo(2000);
        assertThat(overHttp.json().at("/tally/recount")).isEqualTo(fromEvents.json().at("/tally/published"));
    }

    @Test
    void a_changed_byte_in_a_stored_event_is_caught_and_named() throws Exception {
        String id = closedElection(false, 20);
        Line line = boardLine(id, 7);
        // One bit of the choice's first letter: yes -> xes, no -> oo, maybe -> laybe.
        int changed = update("UPDATE domain_event_entry SET payload = set_byte(payload, "
                + "position(convert_to('\"choice\":\"', 'UTF8') IN payload) + 9, "
                + "get_byte(payload, position(convert_to('\"choice\":\"', 'UTF8') IN payload) + 9) # 1) "
                + "WHERE global_index = ?", line.globalIndex());
        assertThat(changed).isEqualTo(1);

        AuditRun run = AuditRun.jdbc(id, db);

        assertThat(run.exitCode()).isEqualTo(Auditor.DISCREPANCIES);
        for (String kind : List.of("invalid-signature", "vote-hash-mismatch", "unknown-option")) {
            assertThat(run.findings(kind)).as(kind).singleElement().satisfies(f -> namesTheEvent(f, line));
        }
        assertThat(run.findings("tally-mismatch")).isNotEmpty()
                .allSatisfy(f -> assertThat(f.get("position").asLong()).isEqualTo(20));
        assertThat(run.out()).contains("[invalid-signature] board position 7, event " + line.globalIndex()
                + ", ballot " + line.ballotId() + ", sequence 0, vote " + line.voteId());
    }

    @Test
    void a_deleted_event_is_caught_and_named() throws Exception {
        String id = closedElection(false, 20);
        Line line = boardLine(id, 11);
        assertThat(update("DELETE FROM domain_event_entry WHERE global_index = ?", line.globalIndex())).isEqualTo(1);

        AuditRun run = AuditRun.jdbc(id, db);

        assertThat(run.exitCode()).isEqualTo(Auditor.DISCREPANCIES);
        assertThat(run.findings("board-line-without-event")).singleElement().satisfies(f -> {
            assertThat(f.get("position").asLong()).isEqualTo(11);
            assertThat(f.get("globalIndex").asLong()).isEqualTo(line.globalIndex());
            assertThat(f.get("detail").asText()).contains("which the event store does not hold");
        });
        assertThat(run.findings("receipt-without-event")).singleElement().satisfies(f -> {
            assertThat(f.get("ballotId").asText()).isEqualTo(line.ballotId());
            assertThat(f.get("voteId").asText()).isEqualTo(line.voteId());
        });
        String choice = Json.MAPPER.readTree(line.vote()).get("choice").asText();
        long published = run.json().at("/tally/published/" + choice).asLong();
        assertThat(run.findings("tally-mismatch")).singleElement().satisfies(f -> {
            assertThat(f.get("option").asText()).isEqualTo(choice);
            assertThat(f.get("detail").asText()).contains("published " + published + ", recount " + (published - 1));
        });
        assertThat(run.json().at("/tally/recountTotal").asLong()).isEqualTo(19);
    }

    @Test
    void a_duplicated_ballot_is_caught_and_named_with_and_without_revoting() throws Exception {
        for (boolean revoting : List.of(false, true)) {
            String id = closedElection(revoting, 20);
            Line line = boardLine(id, 3);
            long next = lastSequence(line.ballotId()) + 1;
            // The same VoteCast again, as the ballot's next event: a second vote without revoting, and with revoting
            // a "newer" vote that is not cast later.
            assertThat(update("INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, "
                    + "event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) "
                    + "SELECT aggregate_identifier, ?, type, gen_random_uuid()::text, meta_data, payload, "
                    + "payload_revision, payload_type, time_stamp FROM domain_event_entry WHERE global_index = ?",
                    next, line.globalIndex())).isEqualTo(1);

            AuditRun run = AuditRun.jdbc(id, db);

            assertThat(run.exitCode()).isEqualTo(Auditor.DISCREPANCIES);
            assertThat(run.findings("duplicate-ballot")).as("revoting %s", revoting).singleElement().satisfies(f -> {
                assertThat(f.get("ballotId").asText()).isEqualTo(line.ballotId());
                assertThat(f.get("sequenceNumber").asLong()).isEqualTo(next);
                assertThat(f.get("voteId").asText()).isEqualTo(line.voteId());
                assertThat(f.get("detail").asText()).contains(revoting ? "not after" : "does not allow revoting");
            });
            assertThat(run.findings("duplicate-vote")).singleElement()
                    .satisfies(f -> assertThat(f.get("sequenceNumber").asLong()).isEqualTo(next));
        }
    }

    @Test
    void an_edited_tally_row_is_caught_from_the_event_store_and_over_http() throws Exception {
        String id = closedElection(true, 20);
        assertThat(update("UPDATE tally_count SET count = count + 1 WHERE election_id = ? AND option_id = 'no'", id))
                .isEqualTo(1);

        for (AuditRun run : List.of(AuditRun.jdbc(id, db), AuditRun.url(id, platform.queryUrl))) {
            assertThat(run.exitCode()).isEqualTo(Auditor.DISCREPANCIES);
            assertThat(run.findings("tally-mismatch")).singleElement().satisfies(f -> {
                assertThat(f.get("option").asText()).isEqualTo("no");
                assertThat(f.get("position").asLong()).isEqualTo(22);
                assertThat(f.get("detail").asText()).contains("published 8, recount 7");
            });
            assertThat(run.kinds()).containsExactly("tally-mismatch");
        }
    }

    @Test
    void a_board_line_pointed_at_another_event_is_caught_over_http_and_against_the_events() throws Exception {
        String id = closedElection(false, 20);
        Line line = boardLine(id, 7);
        long electionCreated = globalIndex(id, 0);
        assertThat(update("UPDATE board_entry SET event_index = ? WHERE election_id = ? AND position = ?",
                electionCreated, id, line.position())).isEqualTo(1);

        // The board serves only votes that are stored: the line is left out, and the gap shows.
        AuditRun overHttp = AuditRun.url(id, platform.queryUrl);
        assertThat(overHttp.exitCode()).isEqualTo(Auditor.DISCREPANCIES);
        assertThat(overHttp.findings("board-gap")).singleElement()
                .satisfies(f -> assertThat(f.get("detail").asText()).contains("no line at position 7"));

        AuditRun fromEvents = AuditRun.jdbc(id, db);
        assertThat(fromEvents.exitCode()).isEqualTo(Auditor.DISCREPANCIES);
        assertThat(fromEvents.findings("board-line-without-event")).singleElement().satisfies(f -> {
            assertThat(f.get("position").asLong()).isEqualTo(7);
            assertThat(f.get("globalIndex").asLong()).isEqualTo(electionCreated);
            assertThat(f.get("detail").asText()).contains("not a VoteCast event of this election");
        });
        assertThat(fromEvents.findings("event-not-on-board")).singleElement()
                .satisfies(f -> assertThat(f.get("globalIndex").asLong()).isEqualTo(line.globalIndex()));
    }

    @Test
    void hidden_results_are_audited_from_the_event_store_and_over_http_once_closed() throws Exception {
        String id = platform.openElection(false, false);
        int votes = platform.vote(id, 5, false);
        platform.awaitPublished(id);

        AuditRun hidden = AuditRun.url(id, platform.queryUrl);
        assertThat(hidden.exitCode()).isEqualTo(Auditor.NOT_AUDITED);
        assertThat(hidden.err()).contains("not public");

        platform.close(id);
        platform.awaitTally(id, votes);
        assertThat(AuditRun.url(id, platform.queryUrl).exitCode()).isEqualTo(Auditor.CLEAN);
        assertThat(AuditRun.jdbc(id, db).exitCode()).isEqualTo(Auditor.CLEAN);
    }

    /** The benchmark's generator is only meaningful if it writes what the services write. */
    @Test
    void the_generator_writes_events_in_the_services_exact_format() throws Exception {
        String id = closedElection(false, 2);
        Line line = boardLine(id, 1);
        JsonNode real;
        String realMeta;
        String realTime;
        String realType;
        try (Connection connection = TestDatabase.connect(db); PreparedStatement statement = connection.prepareStatement(
                "SELECT payload, meta_data, time_stamp, type FROM domain_event_entry WHERE global_index = ?")) {
            statement.setLong(1, line.globalIndex());
            ResultSet rs = statement.executeQuery();
            assertThat(rs.next()).isTrue();
            real = Json.parse(rs.getBytes(1));
            realMeta = new String(rs.getBytes(2), java.nio.charset.StandardCharsets.UTF_8);
            realTime = rs.getString(3);
            realType = rs.getString(4);
        }
        ElectionGenerator generator = new ElectionGenerator("format", false, voting.crypto.IssuerKey.generate(),
                java.time.Instant.now());
        generator.open(java.time.Instant.now());
        generator.cast(generator.ballot(TestVoter.ed25519()), "yes", java.time.Instant.now(),
                java.time.Instant.now());
        ElectionGenerator.Event made = generator.events.get(2);

        assertThat(fieldNames(made.payload())).isEqualTo(fieldNames(real));
        assertThat(fieldNames(made.payload().get("vote"))).isEqualTo(fieldNames(real.get("vote")));
        assertThat(fieldNames(made.payload().at("/vote/token"))).isEqualTo(fieldNames(real.at("/vote/token")));
        assertThat(made.type()).isEqualTo(realType);
        assertThat(realMeta).matches("\\{\"traceId\":\"[-0-9a-f]{36}\",\"correlationId\":\"[-0-9a-f]{36}\"}");
        assertThat(realTime).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(real.get("acceptedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static void namesTheEvent(JsonNode finding, Line line) {
        assertThat(finding.get("position").asLong()).isEqualTo(line.position());
        assertThat(finding.get("globalIndex").asLong()).isEqualTo(line.globalIndex());
        assertThat(finding.get("ballotId").asText()).isEqualTo(line.ballotId());
        assertThat(finding.get("sequenceNumber").asLong()).isEqualTo(line.sequenceNumber());
        assertThat(finding.get("voteId").asText()).isEqualTo(line.voteId());
    }

    /** A board line and the event it names. */
    record Line(long position, String ballotId, long sequenceNumber, long globalIndex, String voteId, String vote) {
    }

    private List<Line> boardLines(String electionId) throws SQLException {
        try (Connection connection = TestDatabase.connect(db); PreparedStatement statement = connection.prepareStatement(
                "SELECT b.position, e.aggregate_identifier, e.sequence_number, e.global_index, e.payload "
                        + "FROM board_entry b JOIN domain_event_entry e ON e.global_index = b.event_index "
                        + "WHERE b.election_id = ? ORDER BY b.position")) {
            statement.setString(1, electionId);
            ResultSet rs = statement.executeQuery();
            List<Line> lines = new ArrayList<>();
            while (rs.next()) {
                JsonNode vote = Json.parse(rs.getBytes(5)).get("vote");
                lines.add(new Line(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        vote.get("voteId").asText(), vote.toString()));
            }
            return lines;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Line boardLine(String electionId, long position) throws SQLException {
        return boardLines(electionId).stream().filter(line -> line.position() == position).findFirst().orElseThrow();
    }

    private long globalIndex(String aggregateId, long sequenceNumber) throws SQLException {
        try (Connection connection = TestDatabase.connect(db); PreparedStatement statement = connection.prepareStatement(
                "SELECT global_index FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = ?")) {
            statement.setString(1, aggregateId);
            statement.setLong(2, sequenceNumber);
            ResultSet rs = statement.executeQuery();
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private long lastSequence(String ballotId) throws SQLException {
        try (Connection connection = TestDatabase.connect(db); PreparedStatement statement = connection.prepareStatement(
                "SELECT max(sequence_number) FROM domain_event_entry WHERE aggregate_identifier = ?")) {
            statement.setString(1, ballotId);
            ResultSet rs = statement.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    private int update(String sql, Object... parameters) throws SQLException {
        try (Connection connection = TestDatabase.connect(db); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}
