package voting.command.ballot;

/**
 * The {@code Idempotency-Key} header: an RFC 8941 structured-field string ({@code "…"}), or the bare value.
 */
final class IdempotencyKeyHeader {

    private IdempotencyKeyHeader() {
    }

    /** The key the header carries, or null when it is missing or not a well-formed value. */
    static String value(String header) {
        if (header == null) {
            return null;
        }
        String trimmed = header.trim();
        if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
            String inner = trimmed.substring(1, trimmed.length() - 1);
            // A UUID needs no escapes; any quote or backslash inside means it is not one.
            return inner.contains("\"") || inner.contains("\\") ? null : inner;
        }
        return trimmed.contains("\"") ? null : trimmed;
    }
}
