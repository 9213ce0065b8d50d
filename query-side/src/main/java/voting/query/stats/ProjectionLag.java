package voting.query.stats;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import voting.query.ReadModelProcessor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How far the read models are behind the event store: the age of the oldest event not yet applied, 0 when every
 * event is. (The age of the newest applied event would grow during every quiet spell.)
 */
@Component
class ProjectionLag {

    private final ReadModelProcessor readModels;
    private final JdbcTemplate jdbc;

    ProjectionLag(ReadModelProcessor readModels, JdbcTemplate jdbc) {
        this.readModels = readModels;
        this.jdbc = jdbc;
    }

    long millis() {
        long applied = ReadModelProcessor.appliedUpTo(readModels.segments());
        List<String> oldestPending = jdbc.queryForList(
                "SELECT time_stamp FROM domain_event_entry WHERE global_index > ? ORDER BY global_index LIMIT 1",
                String.class, applied);
        if (oldestPending.isEmpty()) {
            return 0;
        }
        return Math.max(0, Duration.between(Instant.parse(oldestPending.get(0)), Instant.now()).toMillis());
    }
}
