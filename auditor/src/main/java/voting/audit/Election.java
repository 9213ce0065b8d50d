package voting.audit;

import com.fasterxml.jackson.databind.JsonNode;
import voting.crypto.Base64Url;
import voting.crypto.IssuerPublicKey;
import voting.crypto.Kid;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The election as the audit knows it: its options, its rules, its published keys and its voting window. Read from
 * its creation event (JDBC) or its published detail (HTTP), then moved on by its opening and closing events.
 */
final class Election {

    final String id;
    final String title;
    final List<String> options;
    private final Set<String> optionSet;
    final boolean revoting;
    final boolean liveResults;
    /** The issuer key's kid as published, and the key itself (null if it cannot be parsed). */
    final String issuerKid;
    final IssuerPublicKey issuerKey;
    final String receiptKid;
    final Instant opensAt;
    final Instant closesAt;
    /** When the election was recorded open and closed (ElectionOpened / ElectionClosed); null when not recorded. */
    Instant openedAt;
    Instant closedAt;
    /**
     * The status the published detail shows, when the election was read over HTTP (null from the event store).
     * Then the recorded opening and closing are unknown: an admin may have opened before opensAt, or closed before
     * closesAt.
     */
    final String publishedStatus;

    private Election(String id, String title, List<String> options, boolean revoting, boolean liveResults,
                     String issuerKid, IssuerPublicKey issuerKey, String receiptKid, Instant opensAt,
                     Instant closesAt, String publishedStatus) {
        this.id = id;
        this.title = title;
        this.options = Collections.unmodifiableList(options);
        this.optionSet = new LinkedHashSet<>(options);
        this.revoting = revoting;
        this.liveResults = liveResults;
        this.issuerKid = issuerKid;
        this.issuerKey = issuerKey;
        this.receiptKid = receiptKid;
        this.opensAt = opensAt;
        this.closesAt = closesAt;
        this.publishedStatus = publishedStatus;
    }

    /**
     * Reads an ElectionCreated payload or a published election detail (keys under {@code keys.issuer} and
     * {@code keys.receipt} there, {@code issuerKey} and {@code receiptKey} in the event).
     *
     * @param problems told about each thing wrong with the election itself
     * @throws IllegalArgumentException if the election cannot be audited at all (no id, no options)
     */
    static Election parse(JsonNode json, Consumer<String> problems) {
        String id = Json.text(json, json.has("electionId") ? "electionId" : "id");
        if (id == null) {
            throw new IllegalArgumentException("the election has no id");
        }
        List<String> options = new ArrayList<>();
        JsonNode optionNodes = json.get("options");
        if (optionNodes == null || !optionNodes.isArray()) {
            throw new IllegalArgumentException("election '" + id + "' has no options");
        }
        for (JsonNode option : optionNodes) {
            String optionId = Json.text(option, "id");
            if (optionId == null) {
                problems.accept("an option has no id");
            } else if (options.contains(optionId)) {
                problems.accept("option '" + optionId + "' appears twice");
            } else {
                options.add(optionId);
            }
        }
        if (options.size() < 2) {
            problems.accept("the election has fewer than two options");
        }
        JsonNode issuer = json.has("keys") ? json.path("keys").path("issuer") : json.path("issuerKey");
        JsonNode receipt = json.has("keys") ? json.path("keys").path("receipt") : json.path("receiptKey");
        String issuerKid = Json.text(issuer, "kid");
        IssuerPublicKey issuerKey = null;
        try {
            if (!IssuerPublicKey.ALG.equals(Json.text(issuer, "alg"))) {
                problems.accept("the issuer key's alg is " + Json.text(issuer, "alg") + ", not " + IssuerPublicKey.ALG);
            }
            byte[] spki = Base64Url.decode(String.valueOf(Json.text(issuer, "spki")));
            issuerKey = IssuerPublicKey.parse(spki);
            if (!issuerKey.kid().equals(issuerKid)) {
                problems.accept("the issuer key's kid is " + issuerKid + " but its SPKI's kid is " + issuerKey.kid());
            }
        } catch (IllegalArgumentException e) {
            problems.accept("the issuer key cannot be used: " + e.getMessage());
        }
        String receiptKid = Json.text(receipt, "kid");
        try {
            String spkiKid = Kid.of(Base64Url.decode(String.valueOf(Json.text(receipt, "spki"))));
            if (!spkiKid.equals(receiptKid)) {
                problems.accept("the receipt key's kid is " + receiptKid + " but its SPKI's kid is " + spkiKid);
            }
        } catch (IllegalArgumentException e) {
            problems.accept("the receipt key's SPKI is not base64url: " + e.getMessage());
        }
        return new Election(id, Json.text(json, "title"), options, json.path("revoting").asBoolean(false),
                json.path("liveResults").asBoolean(false), issuerKid, issuerKey, receiptKid,
                instant(json, "opensAt", problems), instant(json, "closesAt", problems),
                json.has("keys") ? java.util.Objects.requireNonNullElse(Json.text(json, "status"), "unknown") : null);
    }

    private static Instant instant(JsonNode json, String field, Consumer<String> problems) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        Instant instant = Json.instant(value);
        if (instant == null) {
            problems.accept(field + " is not an RFC 3339 UTC time: " + value);
        }
        return instant;
    }

    boolean hasOption(String option) {
        return optionSet.contains(option);
    }

    /** The election's own string for an option it has (one copy for all votes), else {@code choice} itself. */
    String option(String choice) {
        int at = options.indexOf(choice);
        return at < 0 ? choice : options.get(at);
    }

    /**
     * When votes started to be taken: the earlier of the recorded opening and the scheduled one (intake follows the
     * schedule before the opening is recorded, and an admin may open early); null if it never opened.
     * Compared at millisecond precision, acceptedAt's.
     */
    Instant opening() {
        return truncated(earliest(openedAt, opensAt));
    }

    /** When votes stopped being taken: the earlier of the recorded and the scheduled closing; null if not yet. */
    Instant closing() {
        return earliest(closedAt, closesAt);
    }

    /** Whether the election no longer takes votes at {@code now}. */
    boolean closedAt(Instant now) {
        Instant closing = closing();
        return closing != null && !now.isBefore(closing);
    }

    /** Why a vote accepted at {@code acceptedAt} was outside the voting window, or null if it was inside. */
    String outsideWindow(Instant acceptedAt) {
        if (publishedStatus != null) {
            // Over HTTP: a draft never took a vote, and no vote is taken from closesAt on (an admin may close
            // earlier, or open before opensAt, which only the event store records).
            if (publishedStatus.equals("draft")) {
                return "accepted at " + acceptedAt + ", but the election is still a draft";
            }
            if (closesAt != null && !acceptedAt.isBefore(closesAt)) {
                return "accepted at " + acceptedAt + ", when the election had closed at " + closesAt;
            }
            return null;
        }
        Instant opening = opening();
        if (opening == null) {
            return "accepted at " + acceptedAt + ", but the election was never opened";
        }
        if (acceptedAt.isBefore(opening)) {
            return "accepted at " + acceptedAt + ", before the election opened at " + opening;
        }
        Instant closing = closing();
        if (closing != null && !acceptedAt.isBefore(closing)) {
            return "accepted at " + acceptedAt + ", when the election had closed at " + closing;
        }
        return null;
    }

    /** The window in words, for the report. */
    String describeWindow() {
        if (publishedStatus != null) {
            return "status " + publishedStatus + ", scheduled " + (opensAt == null ? "(no opensAt)" : opensAt) + " to "
                    + (closesAt == null ? "(no closesAt)" : closesAt);
        }
        return (opening() == null ? "never opened" : opening()) + " to "
                + (closing() == null ? "(not closed)" : closing());
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private static Instant truncated(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
