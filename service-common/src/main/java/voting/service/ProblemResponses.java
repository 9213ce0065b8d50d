package voting.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Turns any failure into the contract's problem JSON. Clients never see a stack trace. */
public final class ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);
    static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    /**
     * The server's request and read timeouts (slow clients; Reactor Netty's own class is not public), and a request
     * whose sender hung up before its body was in (the edge cutting off a slow client): not our failure.
     */
    private static final Set<String> SLOW_REQUEST = Set.of("reactor.netty.http.server.RequestTimeoutException",
            "io.netty.handler.timeout.ReadTimeoutException", "reactor.netty.channel.AbortedException");

    private ProblemResponses() {
    }

    public static Mono<ServerResponse> respond(Throwable failure) {
        Rejected rejected = asRejected(failure);
        Problem problem = rejected.problem();
        if (problem == Problem.INTERNAL) {
            log.error("Unexpected failure", failure);
        }
        ServerResponse.BodyBuilder response = ServerResponse.status(problem.status()).contentType(PROBLEM_JSON);
        if (problem.retryable()) {
            response.header("Retry-After", problem == Problem.REQUEST_IN_FLIGHT ? "1" : "2");
        }
        return response.bodyValue(body(problem, rejected.detail()));
    }

    public static Map<String, Object> body(Problem problem, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status().value());
        body.put("detail", detail);
        body.put("retryable", problem.retryable());
        return body;
    }

    /** What a failure means for the client: a known rejection, the database being away, or our own bug. */
    public static Rejected asRejected(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Rejected rejected) {
                return rejected;
            }
            if (cause instanceof DataBufferLimitException) {
                return Problem.INVALID_REQUEST.because("The body is too large");
            }
            if (SLOW_REQUEST.contains(cause.getClass().getName())) {
                return Problem.REQUEST_TIMEOUT.because("The request was not received in time; send it again");
            }
            if (cause instanceof ResponseStatusException status) {
                return fromStatus(status);
            }
            if (cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
                    || cause instanceof TransientDataAccessException || cause instanceof SQLTransientException
                    || cause instanceof RecoverableDataAccessException || cause instanceof SQLRecoverableException
                    || cause instanceof SQLException sql && lostDatabase(sql.getSQLState())) {
                return Problem.UNAVAILABLE.because("The database is not reachable; try again shortly");
            }
        }
        return Problem.INTERNAL.because("An unexpected error occurred; it has been logged");
    }

    /**
     * SQLSTATE class 08 (connection exception) and 57P01-57P03 (the server shutting down, crashed, starting): the
     * database went away under a statement or a commit. PgJDBC reports these as plain SQLExceptions, wrapped by
     * Axon or Spring in exceptions that say nothing of the cause.
     */
    private static boolean lostDatabase(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.equals("57P01") || sqlState.equals("57P02")
                || sqlState.equals("57P03"));
    }

    private static Rejected fromStatus(ResponseStatusException status) {
        HttpStatus code = HttpStatus.resolve(status.getStatusCode().value());
        if (code == HttpStatus.NOT_FOUND) {
            return Problem.NOT_FOUND.because("No resource at this path");
        }
        if (code == HttpStatus.METHOD_NOT_ALLOWED) {
            return Problem.METHOD_NOT_ALLOWED.because(status.getReason() == null ? "Method not allowed" : status.getReason());
        }
        if (code == HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
            return Problem.UNSUPPORTED_MEDIA_TYPE.because("Send application/json");
        }
        if (code == HttpStatus.PAYLOAD_TOO_LARGE) {
            return Problem.INVALID_REQUEST.because("The body is too large");
        }
        if (code != null && code.is4xxClientError()) {
            return Problem.INVALID_REQUEST.because(status.getReason() == null ? code.getReasonPhrase() : status.getReason());
        }
        return Problem.INTERNAL.because("An unexpected error occurred; it has been logged");
    }
}
