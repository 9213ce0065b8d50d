package voting.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An election's status at a moment follows its schedule even before the clock has recorded a change. */
class ElectionDetailTest {

    private static final Instant OPENS = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant CLOSES = Instant.parse("2026-11-22T18:00:00Z");

    @Test
    void a_scheduled_draft_opens_at_opensAt_and_closes_at_closesAt() {
        ElectionDetail draft = election("draft", OPENS, CLOSES);
        assertThat(draft.statusAt(OPENS.minusMillis(1))).isEqualTo("draft");
        assertThat(draft.statusAt(OPENS)).isEqualTo("open");
        assertThat(draft.statusAt(CLOSES.minusMillis(1))).isEqualTo("open");
        assertThat(draft.statusAt(CLOSES)).isEqualTo("closed");
    }

    @Test
    void an_unscheduled_election_follows_its_recorded_status() {
        assertThat(election("draft", null, null).statusAt(CLOSES)).isEqualTo("draft");
        assertThat(election("open", null, null).statusAt(CLOSES)).isEqualTo("open");
        assertThat(election("closed", null, null).statusAt(OPENS)).isEqualTo("closed");
    }

    @Test
    void an_election_closed_early_stays_closed_during_its_window() {
        assertThat(election("closed", OPENS, CLOSES).statusAt(OPENS.plusSeconds(60))).isEqualTo("closed");
    }

    private static ElectionDetail election(String status, Instant opensAt, Instant closesAt) {
        return new ElectionDetail("e", "Title", "", List.of(new ElectionOption("a", "A"), new ElectionOption("b", "B")),
                status, opensAt, closesAt, Eligibility.open, true, false, null, null);
    }
}
