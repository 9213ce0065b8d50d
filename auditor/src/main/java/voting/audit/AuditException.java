package voting.audit;

/** The audit could not be done at all (unknown election, no access, results not public): exit code 2. */
public final class AuditException extends Exception {

    public AuditException(String message) {
        super(message);
    }

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
