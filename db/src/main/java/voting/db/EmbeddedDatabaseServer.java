package voting.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded PostgreSQL of a local run as its own process, so that every service shares it and a service
 * that crashes does not take the database with it. A server left running by an earlier run that died is adopted.
 * Writes the JDBC URL to {@code <data dir>/postgres.url} once ready; stops the server cleanly on SIGTERM.
 */
public final class EmbeddedDatabaseServer {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(System.getenv().getOrDefault("VOTING_DATA_DIR", "var"));
        EmbeddedDatabase database = EmbeddedDatabase.startOrAttach(dataDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                database.stopServer();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        Files.writeString(dataDir.resolve("postgres.url"), database.jdbcUrl() + "\n");
        System.out.println((database.startedHere() ? "PostgreSQL started at " : "PostgreSQL adopted at ") + database.jdbcUrl());
        stopped.await();
    }
}
