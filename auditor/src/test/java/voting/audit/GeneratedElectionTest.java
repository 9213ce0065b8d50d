package voting.audit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import voting.audit.ElectionGenerator.Ballot;
import voting.crypto.IssuerKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Elections written straight into a real PostgreSQL in the services' format (no services running): what vote
 * intake would never let in, and tampering with the stored rows, each found and named.
 */
class GeneratedElectionTest {

    private static IssuerKey issuer;
    private static String url;

    @BeforeAll
    static void database() {
        url = TestDatabase.database("audit_generated");
        issuer = IssuerKey.generate();
    }

    private static String newId() {
        return "gen-" + UUID.randomUUID();
    }

    private static void write(ElectionGenerator election) throws SQLException {
        try (Connection db = TestDatabase.connect(url)) {
            election.write(db, true);
        }
    }

    private static int update(String sql, Object... parameters) throws SQLException {
        try (Connection db = TestDatabase.connect(url); PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static long globalIndex(String ballotId, long sequence) throws SQLException {
        try (Connection db = TestDatabase.connect(url); PreparedStatement statement = db.prepareStatement(
                "SELECT global_index FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = ?")) {
            statement.setString(1, ballotId);
            statement.setLong(2, sequence);
            var rs = statement.executeQuery();
            assertThat(rs.next()).as("event %s#%s", ballotId, sequence).isTrue();
            return rs.getLong(1);
        }
    }

    @Test
    void a_generated_election_with_revotes_and_both_key_types_audits_clean() throws Exception {
        Instant opened = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        ElectionGenerator election = ElectionGenerator.withVotes(newId(), true, issuer, 300, opened);
        election.close(Instant.now());
        write(election);

        AuditRun run = AuditRun.jdbc(election.electionId, url);

        assertThat(run.kinds()).isEmpty();
        assertThat(run.exitCode()).isEqualTo(Auditor.CLEAN);
        assertThat(run.out()).contains("CLEAN");
        assertThat(run.json().at("/counts/votes").asLong()).isEqualTo(300);
        assertThat(run.json().at("/counts/ballots").asLong()).isEqualTo(270);
        assertThat(run.json().at("/counts/validVotes").asLong()).isEqualTo(300);
        assertThat(run.json().at("/tally/position").asLong()).isEqualTo(300);
        assertThat(run.json().at("/tally/matches").asBoolean()).isTrue();
        assertThat(run.json().at("/tally/recount")).isEqualTo(run.json().at("/tally/published"));
        assertThat(run.json().at("/result/total").asLong()).isEqualTo(270);
    }

    @Test
    void votes_that_intake_would_refuse_are_each_found_and_named() throws Exception {
        Instant opened = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        Instant closed = opened.plus(1, ChronoUnit.HOURS);
        ElectionGenerator election = new ElectionGenerator(newId(), false, issuer, opened.minusSeconds(60));
        election.open(opened);
        Instant during = opened.plusSeconds(60);

        Ballot fine = election.ballot(TestVoter.ed25519());
        Ballot early = election.ballot(TestVoter.ed25519());
        Ballot late = election.ballot(TestVoter.es256());
        Ballot strange = election.ballot(TestVoter.ed25519());
        Ballot forged = election.ballot(TestVoter.es256(), IssuerKey.generate());
        Ballot stolen = election.ballot(TestVoter.ed25519());
        Ballot twice = election.ballot(TestVoter.ed25519());
        Ballot moved = election.ballot(TestVoter.ed25519());
        // Cast in time order, as intake would append them.
        election.cast(early, "yes", opened.minusSeconds(5), opened.minusSeconds(5));
        election.cast(fine, "yes", during, during);
        election.cast(strange, "perhaps", during, during.plusMillis(1));
        election.cast(forged, "no", during, during.plusMillis(2));
        election.cast(new Ballot(TestVoter.ed25519(), stolen.token(), stolen.ballotId()), "no", during,
                during.plusMillis(3));
        election.cast(twice, "yes", during, during.plusMillis(4));
        election.cast(twice, "no", during.plusSeconds(1), during.plusMillis(5));
        String otherAggregate = "not-the-ballot-" + UUID.randomUUID();
        election.cast(otherAggregate, election.voteCast(moved, "maybe", during, during.plusMillis(6)));
        election.close(closed);
        election.cast(late, "maybe", closed.plusSeconds(1), closed.plusSeconds(1));
        write(election);

        AuditRun run = AuditRun.jdbc(election.electionId, url);

        assertThat(run.exitCode()).isEqualTo(Auditor.DISCREPANCIES);
        assertThat(run.findings("outside-window")).extracting(f -> f.get("ballotId").asText())
                .containsExactlyInAnyOrder(early.ballotId(), late.ballotId());
        assertThat(run.findings("outside-window")).allSatisfy(f -> {
            assertThat(f.has("position")).isTrue();
            assertThat(f.has("globalIndex")).isTrue();
            assertThat(f.has("voteId")).isTrue();
        });
        assertThat(run.findings("unknown-option")).singleElement()
                .satisfies(f -> assertThat(f.get("ballotId").asText()).isEqualTo(strange.ballotId()))
                .satisfies(f -> assertThat(f.get("detail").asText()).contains("perhaps"));
        assertThat(run.findings("invalid-token")).singleElement()
                .satisfies(f -> assertThat(f.get("ballotId").asText()).isEqualTo(forged.ballotId()));
        assertThat(run.findings("invalid-signature")).singleElement()
                .satisfies(f -> assertThat(f.get("ballotId").asText()).isEqualTo(stolen.ballotId()));
        assertThat(run.findings("duplicate-ballot")).singleElement()
                .satisfies(f -> assertThat(f.get("ballotId").asText()).isEqualTo(twice.ballotId()))
                .satisfies(f -> assertThat(f.get("sequenceNumber").asLong()).isEqualTo(1))
                .satisfies(f -> assertThat(f.get("globalIndex").asLong())
                        .isEqualTo(globalIndex(twice.ballotId(), 1)));
        assertThat(run.findings("ballot-mismatch")).isNotEmpty()
                .allSatisfy(f -> assertThat(f.get("ballotId").asText()).isEqualTo(otherAggregate));
        // The generator's tally counted every event, as a query side would; the recount counts valid votes only.
        // Valid: fine (yes) and twice's first vote (yes) — the second is a duplicate.
        assertThat(run.json().at("/tally/recount").toString()).isEqualTo("{\"yes\":2,\"no\":0,\"maybe\":0}");
        assertThat(run.findings("tally-mismatch")).isNotEmpty();
        assertThat(run.kinds()).doesNotContain("sequence-gap", "board-gap", "event-not-on-board",
                "board-line-without-event", "receipt-without-event", "event-without-receipt", "vote-hash-mismatch");
    }

    @Test
    void with_revoting_a_replacing_vote_must_be_newer_and_the_newest_counts() throws Exception {
        Instant opened = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        ElectionGenerator election = new ElectionGenerator(newId(), true, issuer, opened.minusSeconds(60));
        election.open(opened);
        Ballot changed = election.ballot(TestVoter.ed25519());
        Ballot replayed = election.ballot(TestVoter.es256());
        Instant t = opened.plusSeconds(10);
        election.cast(changed, "yes", t, t);
        election.cast(replayed, "no", t.plusSeconds(5), t.plusSeconds(5));
        election.cast(changed, "maybe", t.plusSeconds(10), t.plusSeconds(10));
        // Accepted later, but cast before the vote it would replace: intake answers 409 already-voted.
        election.cast(replayed, "yes", t.plusSeconds(1), t.plusSeconds(11));
        write(election);

        AuditRun run = AuditRun.jdbc(election.electionId, url);

        assertThat(run.findings("duplicate-ballot")).singleElement()
                .satisfies(f -> assertThat(f.get("ballotId").asText()).isEqualTo(replayed.ballotId()))
                .satisfies(f -> assertThat(f.get("sequenceNumber").asLong()).isEqualTo(1))
                .satisfies(f -> assertThat(f.get("position").asLong()).isEqualTo(4));
        // The recount keeps each ballot's newest vote: maybe (changed) and no (replayed, cast at t+5).
        assertThat(run.json().at("/tally/recount").toString()).isEqualTo("{\"yes\":0,\"no\":1,\"maybe\":1}");
        // The query side counts the last event of a ballot: yes for replayed. The recount disagrees.
        assertThat(run.findings("tally-mismatch")).extracting(f -> f.get("option").asText())
                .containsExactlyInAnyOrder("yes", "no");
    }

    @Test
    void tampered_rows_are_found_a_gap_in_a_ballot_a_board_line_a_receipt_and_a_payload() throws Exception {
        Instant opened = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        ElectionGenerator election = ElectionGenerator.withVotes(newId(), true, issuer, 40, opened);
        Ballot thrice = election.ballot(TestVoter.ed25519());
        Instant t = opened.plusSeconds(100);
        election.cast(thrice, "yes", t, t);
        election.cast(thrice, "no", t.plusSeconds(1), t.plusSeconds(1));
        election.cast(thrice, "maybe", t.plusSeconds(2), t.plusSeconds(2));
        election.close(Instant.now());
        write(election);
        String id = election.electionId;
        List<String> ballots = ballotsOnBoard(id);

        // 1. The middle vote of a ballot deleted from the event store.
        long middle = globalIndex(thrice.ballotId(), 1);
        assertThat(update("DELETE FROM domain_event_entry WHERE global_index = ?", middle)).isEqualTo(1);
        // 2. A board line deleted (position 5).
        assertThat(update("DELETE FROM board_entry WHERE election_id = ? AND position = 5", id)).isEqualTo(1);
        // 3. A receipt deleted.
        String unreceipted = ballots.get(9);
        assertThat(update("DELETE FROM vote_receipt WHERE election_id = ? AND ballot_id = ?", id, unreceipted))
                .isEqualTo(1);
        // 4. A payload byte made invalid UTF-8 (and so invalid JSON).
        String garbled = ballots.get(19);
        long garbledIndex = globalIndex(garbled, 0);
        assertThat(update("UPDATE domain_event_entry SET payload = set_byte(payload, 30, 255) WHERE global_index = ?",
                garbledIndex)).isEqualTo(1);

        AuditRun run = AuditRun.jdbc(id, url);

        assertThat(run.exitCode()).isEqualTo(Auditor.DISCREPANCIES);
        assertThat(run.findings("sequence-gap")).singleElement()
                .satisfies(f -> assertThat(f.get("ballotId").asText()).isEqualTo(thrice.ballotId()))
                .satisfies(f -> assertThat(f.get("sequenceNumber").asLong()).isEqualTo(2))
                .satisfies(f -> assertThat(f.get("detail").asText()).contains("no event at sequence 1"));
        assertThat(run.findings("board-line-without-event")).singleElement()
                .satisfies(f -> assertThat(f.get("globalIndex").asLong()).isEqualTo(middle))
                .satisfies(f -> assertThat(f.get("detail").asText()).contains("the event store does not hold"));
        assertThat(run.findings("receipt-without-event")).singleElement()
                .satisfies(f -> assertThat(f.get("ballotId").asText()).isEqualTo(thrice.ballotId()));
        assertThat(run.findings("board-gap")).singleElement()
                .satisfies(f -> assertThat(f.get("position").asLong()).isEqualTo(6))
                .satisfies(f -> assertThat(f.get("detail").asText()).contains("no line at position 5"));
        assertThat(run.findings("event-not-on-board")).singleElement()
                .satisfies(f -> assertThat(f.get("ballotId").asText()).isEqualTo(ballots.get(4)));
        assertThat(run.findings("event-without-receipt")).singleElement()
                .satisfies(f -> assertThat(f.get("ballotId").asText()).isEqualTo(unreceipted));
        assertThat(run.findings("malformed-event")).singleElement()
                .satisfies(f -> assertThat(f.get("globalIndex").asLong()).isEqualTo(garbledIndex))
                .satisfies(f -> assertThat(f.get("ballotId").asText()).isEqualTo(garbled))
                .satisfies(f -> assertThat(f.get("position").asLong()).isEqualTo(20));
        assertThat(run.findings("tally-mismatch")).isNotEmpty();
    }

    @Test
    void an_event_rewritten_to_name_another_election_is_still_found_through_its_board_line() throws Exception {
        Instant opened = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        ElectionGenerator election = ElectionGenerator.withVotes(newId(), false, issuer, 10, opened);
        election.close(Instant.now());
        write(election);
        String id = election.electionId;
        String moved = ballotsOnBoard(id).get(6);
        long index = globalIndex(moved, 0);
        // Both mentions of the election (the event's and the vote's) rewritten: the payload no longer names it.
        assertThat(update("UPDATE domain_event_entry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                + "'\"electionId\":\"' || ? || '\"', '\"electionId\":\"elsewhere\"'), 'UTF8') WHERE global_index = ?",
                id, index)).isEqualTo(1);

        AuditRun run = AuditRun.jdbc(id, url);

        assertThat(run.kinds()).contains("wrong-election").doesNotContain("board-line-without-event");
        assertThat(run.findings("wrong-election")).hasSize(2).allSatisfy(f -> {
            assertThat(f.get("globalIndex").asLong()).isEqualTo(index);
            assertThat(f.get("position").asLong()).isEqualTo(7);
        });
    }

    @Test
    void an_election_id_with_an_underscore_matches_only_itself() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Instant opened = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        ElectionGenerator mine = ElectionGenerator.withVotes("e_" + suffix, false, issuer, 5, opened);
        ElectionGenerator lookalike = ElectionGenerator.withVotes("eX" + suffix, false, issuer, 7, opened);
        write(mine);
        write(lookalike);

        AuditRun run = AuditRun.jdbc(mine.electionId, url);

        assertThat(run.kinds()).isEmpty();
        assertThat(run.json().at("/counts/votes").asLong()).isEqualTo(5);
    }

    @Test
    void an_unknown_election_or_a_wrong_command_line_is_not_audited() {
        AuditRun unknown = AuditRun.jdbc("no-such-election", url);
        assertThat(unknown.exitCode()).isEqualTo(Auditor.NOT_AUDITED);
        assertThat(unknown.err()).contains("no election 'no-such-election'");

        AuditRun both = AuditRun.run(List.of("--election", "x", "--jdbc", url, "--url", "http://localhost:1"));
        assertThat(both.exitCode()).isEqualTo(Auditor.NOT_AUDITED);
        assertThat(both.err()).contains("either --jdbc or --url").contains("usage:");

        AuditRun unreachable = AuditRun.url("x", "http://localhost:1");
        assertThat(unreachable.exitCode()).isEqualTo(Auditor.NOT_AUDITED);
    }

    /** The ballot of each board line, in board order (index 0 is position 1). */
    private static List<String> ballotsOnBoard(String electionId) throws SQLException {
        try (Connection db = TestDatabase.connect(url); PreparedStatement statement = db.prepareStatement(
                "SELECT e.aggregate_identifier FROM board_entry b JOIN domain_event_entry e "
                        + "ON e.global_index = b.event_index WHERE b.election_id = ? ORDER BY b.position")) {
            statement.setString(1, electionId);
            var rs = statement.executeQuery();
            List<String> ballots = new java.util.ArrayList<>();
            while (rs.next()) {
                ballots.add(rs.getString(1));
            }
            return ballots;
        }
    }
}
