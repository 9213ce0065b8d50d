package voting.db;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded PostgreSQL of a local run as its own process, so that every service shares it
 * and a service that crashes does not take the database with it. Stops the server cleanly on SIGTERM.
 */
public final class EmbeddedDatabaseServer {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(System.getenv().getOrDefault("VOTING_DATA_DIR", "var"));
        EmbeddedDatabase database = EmbeddedDatabase.startOrAttach(dataDir);
        if (!database.startedHere()) {
            System.err.println("PostgreSQL is already running for " + dataDir.toAbsolutePath() + " at " + database.jdbcUrl());
            System.exit(1);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                database.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        System.out.println("PostgreSQL ready at " + database.jdbcUrl());
        stopped.await();
    }
}
