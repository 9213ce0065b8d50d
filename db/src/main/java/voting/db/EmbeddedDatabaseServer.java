package voting.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the embedded PostgreSQL of a local run as its own process, so that every service shares it and a service
 * that crashes does not take the database with it. A server left running by an earlier run that died is adopted.
 * Writes the JDBC URL to {@code <data dir>/postgres.url} once ready; stops the server cleanly on SIGTERM.
 * If PostgreSQL itself dies (a crash, an immediate shutdown), this process exits too, so that whoever supervises it
 * (the launcher, an orchestrator) starts the database again, on the same port.
 */
public final class EmbeddedDatabaseServer {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(System.getenv().getOrDefault("VOTING_DATA_DIR", "var"));
        EmbeddedDatabase database = EmbeddedDatabase.startOrAttach(dataDir);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            try {
                database.stopServer();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        Files.writeString(dataDir.resolve("postgres.url"), database.jdbcUrl() + "\n");
        System.out.println((database.startedHere() ? "PostgreSQL started at " : "PostgreSQL adopted at ") + database.jdbcUrl());
        ProcessHandle postmaster = database.postmaster()
                .orElseThrow(() -> new IllegalStateException("PostgreSQL is not running after its start"));
        postmaster.onExit().thenRun(() -> {
            if (!stopping.get()) {
                System.out.println("PostgreSQL (pid " + postmaster.pid() + ") stopped by itself; exiting to be started again");
                System.exit(3);
            }
        });
        stopped.await();
    }
}
