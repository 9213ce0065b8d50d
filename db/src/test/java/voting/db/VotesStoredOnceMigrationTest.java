package voting.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** V5 turns each board line that held a copy of its vote into one that names its event, and keeps the numbering. */
class VotesStoredOnceMigrationTest {

    private static EmbeddedDatabase server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedDatabase.startOrAttach(Path.of("target", "test-var").toAbsolutePath());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void board_lines_written_before_v5_name_their_events_after_it() {
        JdbcTemplate admin = new JdbcTemplate(new DriverManagerDataSource(server.jdbcUrl(), server.user(), ""));
        admin.execute("DROP DATABASE IF EXISTS migration_v5");
        admin.execute("CREATE DATABASE migration_v5");
        String url = server.jdbcUrl().substring(0, server.jdbcUrl().lastIndexOf('/') + 1) + "migration_v5";
        JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(url, server.user(), ""));
        migrate(url, MigrationVersion.fromVersion("4"));

        long first = appendEvent(db, "ballot-a", 0);
        long second = appendEvent(db, "ballot-b", 0);
        long revote = appendEvent(db, "ballot-a", 1);
        // In commit order as the query side saw it: the revote before ballot b's first vote.
        boardLine(db, 1, "ballot-a", 0);
        boardLine(db, 2, "ballot-a", 1);
        boardLine(db, 3, "ballot-b", 0);

        migrate(url, MigrationVersion.LATEST);

        assertThat(db.queryForList("SELECT column_name FROM information_schema.columns WHERE table_name = "
                + "'board_entry' ORDER BY ordinal_position", String.class))
                .containsExactly("election_id", "position", "event_index");
        List<Map<String, Object>> lines = db.queryForList(
                "SELECT position, event_index FROM board_entry WHERE election_id = 'e' ORDER BY position");
        assertThat(lines).extracting(line -> line.get("event_index")).containsExactly(first, revote, second);
        assertThat(lines).extracting(line -> line.get("position")).containsExactly(1L, 2L, 3L);
    }

    private static void migrate(String url, MigrationVersion target) {
        Flyway.configure().dataSource(url, server.user(), "").locations("classpath:db/migration").target(target)
                .load().migrate();
    }

    private static long appendEvent(JdbcTemplate db, String ballotId, long sequenceNumber) {
        return db.queryForObject("INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, "
                        + "event_identifier, payload, payload_type, time_stamp) VALUES (?, ?, 'Ballot', "
                        + "gen_random_uuid()::text, '\\x7b7d', 'voting.events.BallotEvents$VoteCast', "
                        + "'2026-12-04T00:00:00Z') RETURNING global_index",
                Long.class, ballotId, sequenceNumber);
    }

    private static void boardLine(JdbcTemplate db, long position, String ballotId, long sequenceNumber) {
        db.update("INSERT INTO board_entry (election_id, position, ballot_id, sequence_number, accepted_at, vote_hash, "
                + "vote) VALUES ('e', ?, ?, ?, now(), 'hash', '{}')", position, ballotId, sequenceNumber);
    }
}
