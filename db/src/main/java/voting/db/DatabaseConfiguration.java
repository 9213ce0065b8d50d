package voting.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the services' data lives: the PostgreSQL at {@code VOTING_DB_URL} when one is configured,
 * otherwise the embedded server in the data directory ({@code VOTING_DATA_DIR}, default {@code ./var}).
 */
@AutoConfiguration(before = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
public class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${voting.db.url:}'.isBlank()")
    EmbeddedDatabase embeddedDatabase(@Value("${voting.data-dir:var}") Path dataDir) throws IOException {
        return EmbeddedDatabase.startOrAttach(dataDir);
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(@Value("${voting.db.url:}") String url,
                                @Value("${voting.db.user:postgres}") String user,
                                @Value("${voting.db.password:}") String password,
                                @Value("${voting.db.pool-size:20}") int poolSize,
                                @Value("${voting.db.connection-timeout-ms:2000}") long connectionTimeoutMs,
                                ObjectProvider<EmbeddedDatabase> embedded) {
        HikariConfig config = new HikariConfig();
        EmbeddedDatabase database = embedded.getIfAvailable();
        if (database != null) {
            config.setJdbcUrl(database.jdbcUrl());
            config.setUsername(database.user());
        } else {
            config.setJdbcUrl(url);
            config.setUsername(user);
            config.setPassword(password);
        }
        // Batched inserts become one multi-row INSERT: the event store's write path depends on it.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.setMaximumPoolSize(poolSize);
        // With the database away, a request waits this long for a connection, then answers 503 unavailable
        // (retryable, Retry-After): Hikari's 30 s default would hold every request past the clients' patience.
        config.setConnectionTimeout(connectionTimeoutMs);
        config.setPoolName("voting");
        return new HikariDataSource(config);
    }
}
