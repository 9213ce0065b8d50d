package voting.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import voting.crypto.IssuerKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast an audit verifies votes (docs/benchmarks.md, "Audit speed"). Not part of the normal test run (its name
 * does not end in Test); run it with
 * <pre>mvn -o -f auditor/pom.xml package -DskipTests && mvn -o -f auditor/pom.xml test -Dtest=AuditSpeedBenchmark</pre>
 * It writes an election of {@code -Dbench.votes} votes (default 20,000: every fifth voter ES256, the rest Ed25519,
 * one in ten ballots voting twice) into its own database of the embedded PostgreSQL in target/test-var, once, and
 * audits it from the event store: with the runnable jar in a fresh JVM, as an auditor runs it, then in this JVM.
 */
class AuditSpeedBenchmark {

    private static final int VOTES = Integer.getInteger("bench.votes", 20_000);
    private static final double REQUIRED = 10_000;

    @Test
    void audits_at_least_ten_thousand_votes_a_second() throws Exception {
        String url = TestDatabase.database("audit_bench");
        String electionId = "bench-" + VOTES;
        if (!exists(url, electionId)) {
            long started = System.nanoTime();
            ElectionGenerator election = ElectionGenerator.withVotes(electionId, true, IssuerKey.generate(), VOTES,
                    Instant.now().minus(1, ChronoUnit.HOURS));
            election.close(Instant.now());
            try (Connection db = TestDatabase.connect(url)) {
                election.write(db, true);
            }
            System.out.printf("generated %d votes in %.1f s%n", VOTES, (System.nanoTime() - started) / 1e9);
        }

        List<String> results = new ArrayList<>();
        double best = 0;
        Path jar = runnableJar();
        if (jar != null) {
            for (int run = 1; run <= 3; run++) {
                Path json = Files.createTempFile(Path.of("target"), "bench-", ".json");
                long started = System.nanoTime();
                Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar", jar.toString(), "--election", electionId, "--jdbc", url, "--user", "postgres",
                        "--json", json.toString())
                        .redirectErrorStream(true).redirectOutput(Path.of("target", "bench-jar.log").toFile()).start();
                assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
                double wall = (System.nanoTime() - started) / 1e9;
                assertThat(process.exitValue()).as("exit code; see target/bench-jar.log").isZero();
                JsonNode report = Json.MAPPER.readTree(json.toFile());
                Files.delete(json);
                double perSecond = report.get("votesPerSecond").asDouble();
                best = Math.max(best, perSecond);
                results.add(String.format(Locale.ROOT, "java -jar, run %d: audit %.2f s = %,.0f votes/s "
                                + "(whole process with JVM start %.2f s = %,.0f votes/s)", run,
                        report.get("seconds").asDouble(), perSecond, wall, VOTES / wall));
            }
        }
        for (int run = 1; run <= 3; run++) {
            AuditRun audit = AuditRun.jdbc(electionId, url);
            assertThat(audit.exitCode()).isEqualTo(Auditor.CLEAN);
            double perSecond = audit.json().get("votesPerSecond").asDouble();
            best = Math.max(best, perSecond);
            results.add(String.format(Locale.ROOT, "in-process, run %d: audit %.2f s = %,.0f votes/s", run,
                    audit.json().get("seconds").asDouble(), perSecond));
        }
        System.out.printf("%nAudit speed, %d votes, %d cores:%n", VOTES, Runtime.getRuntime().availableProcessors());
        results.forEach(result -> System.out.println("  " + result));
        if (jar == null) {
            System.out.println("  (no runnable jar in target/: build it with mvn -o -f auditor/pom.xml package)");
        }
        assertThat(best).as("votes verified per second").isGreaterThanOrEqualTo(REQUIRED);
    }

    private static boolean exists(String url, String electionId) throws Exception {
        try (Connection db = TestDatabase.connect(url); PreparedStatement statement = db.prepareStatement(
                "SELECT 1 FROM tally WHERE election_id = ?")) {
            statement.setString(1, electionId);
            return statement.executeQuery().next();
        }
    }

    private static Path runnableJar() throws Exception {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(file -> file.getFileName().toString().matches("auditor-.*\\.jar"))
                    .filter(file -> !file.getFileName().toString().startsWith("original-")).findFirst().orElse(null);
        }
    }
}
