package voting.edge.limits;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(new RateLimitProperties.Limit(60, 3), now::get);

    @Test
    void aClientMaySpendItsBurstAtOnceAndThenOnePermitASecond() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a")).isZero();
        }
        assertThat(limiter.acquire("a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(limiter.acquire("b")).as("another client").isZero();

        now.addAndGet(Duration.ofMillis(400).toNanos());
        assertThat(limiter.acquire("a")).isEqualTo(Duration.ofMillis(600));
        now.addAndGet(Duration.ofMillis(600).toNanos());
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void waitingLongerDoesNotSaveUpMoreThanTheBurst() {
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a")).isZero();
        }
        assertThat(limiter.acquire("a")).isPositive();
    }

    @Test
    void quietClientsAreForgottenOnceTheirBucketIsFullAgain() {
        limiter.acquire("busy");
        limiter.acquire("quiet");
        now.addAndGet(Duration.ofMillis(500).toNanos());
        limiter.forgetQuiet();
        assertThat(limiter.clients()).isEqualTo(2);

        now.addAndGet(Duration.ofMillis(600).toNanos());
        limiter.acquire("busy");
        limiter.forgetQuiet();
        assertThat(limiter.clients()).isEqualTo(1);
    }

    @Test
    void aLimitThatAllowsNothingIsAConfigurationError() {
        assertThatThrownBy(() -> new RateLimiter(new RateLimitProperties.Limit(0, 5), now::get))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
