package voting.events;

/** One choice on an election's ballot. */
public record ElectionOption(String id, String label) {
}
