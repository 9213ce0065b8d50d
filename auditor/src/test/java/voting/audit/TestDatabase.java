package voting.audit;

import org.flywaydb.core.Flyway;
import voting.db.EmbeddedDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The tests' real PostgreSQL: the platform's embedded server in {@code target/test-var} (fsync on, as in
 * production), started once per test run. The services under test use its {@code postgres} database; tests that
 * write events themselves get databases of their own, migrated with the platform's Flyway migrations, so that no
 * query side projects their hand-made events.
 */
final class TestDatabase {

    static final Path DATA_DIR = Path.of("target", "test-var").toAbsolutePath();
    private static EmbeddedDatabase server;
    private static final Set<String> migrated = new HashSet<>();

    private TestDatabase() {
    }

    static synchronized EmbeddedDatabase server() {
        if (server == null) {
            try {
                server = EmbeddedDatabase.startOrAttach(DATA_DIR);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedDatabase started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    e.printStackTrace();
                }
            }));
        }
        return server;
    }

    /** The JDBC URL of the services' database, migrated. */
    static String servicesUrl() {
        return database("postgres");
    }

    /** The JDBC URL of a database of its own, created and migrated if new. */
    static synchronized String database(String name) {
        String base = server().jdbcUrl();
        String url = base.substring(0, base.lastIndexOf('/') + 1) + name;
        if (migrated.add(name)) {
            if (!name.equals("postgres")) {
                try (Connection admin = DriverManager.getConnection(base, "postgres", "");
                     Statement statement = admin.createStatement()) {
                    if (!statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'").next()) {
                        statement.execute("CREATE DATABASE " + name);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        }
        return url;
    }

    static Connection connect(String url) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("reWriteBatchedInserts", "true");
        return DriverManager.getConnection(url, properties);
    }
}
