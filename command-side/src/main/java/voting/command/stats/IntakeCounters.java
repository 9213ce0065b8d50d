package voting.command.stats;

import jakarta.annotation.PreDestroy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what intake did per election (accepted, replayed, tokens issued, rejections by problem slug) for the
 * admin statistics. Counting is in memory; about once a second this instance adds its counts to its own rows of
 * {@code intake_count}, so the vote path never waits on, or contends for, a counter row.
 */
@Component
public class IntakeCounters {

    public static final String ACCEPTED = "accepted";
    public static final String REPLAYED = "replayed";
    public static final String TOKEN_ISSUED = "token-issued";

    private record Key(String electionId, String outcome) {
    }

    private final JdbcTemplate jdbc;
    private final String instanceId = UUID.randomUUID().toString();
    private final Map<Key, LongAdder> pending = new ConcurrentHashMap<>();

    IntakeCounters(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void count(String electionId, String outcome) {
        pending.computeIfAbsent(new Key(electionId, outcome), key -> new LongAdder()).increment();
    }

    public void countRejection(String electionId, String problemSlug) {
        count(electionId, "rejected:" + problemSlug);
    }

    @Scheduled(fixedDelayString = "${voting.stats.flush-ms:1000}")
    @PreDestroy
    public void flush() {
        List<Object[]> rows = new ArrayList<>();
        pending.forEach((key, adder) -> {
            long count = adder.sumThenReset();
            if (count > 0) {
                rows.add(new Object[]{key.electionId(), instanceId, key.outcome(), count});
            }
        });
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO intake_count (election_id, instance_id, outcome, count) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (election_id, instance_id, outcome) DO UPDATE SET count = intake_count.count + excluded.count",
                    rows);
        }
    }
}
