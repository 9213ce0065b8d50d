package voting.service;

import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** How failures reach clients when the database goes away or a client is too slow (docs/reliability.md). */
class ProblemResponsesTest {

    @Test
    void aConnectionLostUnderACommitIsUnavailableNotAnInternalError() {
        // What PgJDBC throws when the server dies mid-commit, as Spring's transaction manager wraps it.
        SQLException lost = new SQLException("An I/O error occurred while sending to the backend.", "08006");
        assertThat(ProblemResponses.asRejected(new TransactionSystemException("Could not commit", lost)).problem())
                .isEqualTo(Problem.UNAVAILABLE);
    }

    @Test
    void theServerShuttingDownIsUnavailable() {
        for (String state : new String[]{"57P01", "57P02", "57P03", "08001", "08003"}) {
            SQLException shutdown = new SQLException("terminating connection", state);
            assertThat(ProblemResponses.asRejected(new RuntimeException("wrapped", shutdown)).problem())
                    .as(state).isEqualTo(Problem.UNAVAILABLE);
        }
    }

    @Test
    void otherSqlFailuresStayInternalErrors() {
        // A unique violation or a syntax error is our bug or a conflict, not the database being away.
        assertThat(ProblemResponses.asRejected(new SQLException("duplicate key", "23505")).problem()).isEqualTo(Problem.INTERNAL);
        assertThat(ProblemResponses.asRejected(new SQLException("no state")).problem()).isEqualTo(Problem.INTERNAL);
    }

    @Test
    void aSlowClientGetsRequestTimeoutWithRetryAfter() {
        Rejected rejected = ProblemResponses.asRejected(new IllegalStateException("body failed", ReadTimeoutException.INSTANCE));
        assertThat(rejected.problem()).isEqualTo(Problem.REQUEST_TIMEOUT);
        assertThat(rejected.problem().status().value()).isEqualTo(408);
        assertThat(rejected.problem().retryable()).isTrue();
        var response = ProblemResponses.respond(ReadTimeoutException.INSTANCE).block();
        assertThat(response.statusCode().value()).isEqualTo(408);
        assertThat(response.headers().getFirst("Retry-After")).isEqualTo("2");
    }

    @Test
    void aClientThatHungUpMidBodyIsNoInternalError() {
        assertThat(ProblemResponses.asRejected(new reactor.netty.channel.AbortedException("Connection has been closed"))
                .problem()).isEqualTo(Problem.REQUEST_TIMEOUT);
    }
}
