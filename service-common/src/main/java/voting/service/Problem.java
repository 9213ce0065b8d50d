package voting.service;

import org.springframework.http.HttpStatus;

/**
 * Every problem the command side answers with (RFC 9457), by its contract slug.
 * {@code retryable} tells a client's queue whether sending the same request again can succeed.
 */
public enum Problem {
    INVALID_VOTE("invalid-vote", HttpStatus.BAD_REQUEST, "The vote is malformed", false),
    VOTE_TOO_LARGE("vote-too-large", HttpStatus.PAYLOAD_TOO_LARGE, "The vote is larger than 16 KiB", false),
    INVALID_SIGNATURE("invalid-signature", HttpStatus.UNAUTHORIZED, "The vote's signature does not verify", false),
    INVALID_TOKEN("invalid-token", HttpStatus.FORBIDDEN, "The ballot token is not valid for this election", false),
    UNKNOWN_ELECTION("unknown-election", HttpStatus.NOT_FOUND, "There is no such election", false),
    ELECTION_NOT_OPEN("election-not-open", HttpStatus.CONFLICT, "The election is not open yet", false),
    ELECTION_CLOSED("election-closed", HttpStatus.CONFLICT, "The election is closed", false),
    RESULTS_NOT_PUBLIC("results-not-public", HttpStatus.FORBIDDEN,
            "The results are not public until the election closes", false),
    ALREADY_VOTED("already-voted", HttpStatus.CONFLICT, "This ballot already holds a vote", false),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", HttpStatus.UNPROCESSABLE_ENTITY,
            "The idempotency key was used for a different vote", false),
    REQUEST_IN_FLIGHT("request-in-flight", HttpStatus.CONFLICT, "The same request is still being processed", true),
    INVALID_TOKEN_REQUEST("invalid-token-request", HttpStatus.BAD_REQUEST, "The ballot token request is malformed", false),
    INELIGIBLE("ineligible", HttpStatus.FORBIDDEN, "The credential is not valid for this election", false),
    CREDENTIAL_USED("credential-used", HttpStatus.CONFLICT, "The credential was already used for another request", false),
    INVALID_ELECTION("invalid-election", HttpStatus.BAD_REQUEST, "The election is not valid", false),
    ELECTION_EXISTS("election-exists", HttpStatus.CONFLICT, "An election with this id exists", false),
    INVALID_REQUEST("invalid-request", HttpStatus.BAD_REQUEST, "The request is malformed", false),
    UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED, "Admin authentication is required", false),
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "There is nothing at this path", false),
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "This method is not allowed here", false),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The body must be JSON", false),
    REQUEST_TOO_LARGE("request-too-large", HttpStatus.PAYLOAD_TOO_LARGE, "The request body is too large", false),
    REQUEST_TIMEOUT("request-timeout", HttpStatus.REQUEST_TIMEOUT, "The request took too long to arrive", true),
    RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS, "Too many requests from this client; slow down", true),
    UNAVAILABLE("unavailable", HttpStatus.SERVICE_UNAVAILABLE, "The service is temporarily unavailable", true),
    INTERNAL("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side", true);

    public static final String TYPE_PREFIX = "https://voting.invalid/problems/";

    private final String slug;
    private final HttpStatus status;
    private final String title;
    private final boolean retryable;

    Problem(String slug, HttpStatus status, String title, boolean retryable) {
        this.slug = slug;
        this.status = status;
        this.title = title;
        this.retryable = retryable;
    }

    public String slug() {
        return slug;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public boolean retryable() {
        return retryable;
    }

    public String type() {
        return TYPE_PREFIX + slug;
    }

    /** The exception that carries this problem to the client, with what exactly was wrong. */
    public Rejected because(String detail) {
        return new Rejected(this, detail);
    }
}
