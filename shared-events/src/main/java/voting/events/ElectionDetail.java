package voting.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An election as the contract shows it (election detail), with the rule both services decide its status by.
 * Each service keeps its own copy (the command side's directory, the query side's catalogue); this is the one shape.
 */
public record ElectionDetail(String id,
                           String title,
                           String description,
                           List<ElectionOption> options,
                           String status,
                           Instant opensAt,
                           Instant closesAt,
                           Eligibility eligibility,
                           boolean liveResults,
                           boolean revoting,
                           PublishedKey issuerKey,
                           PublishedKey receiptKey) {

    /**
     * The status at a moment: the recorded one, moved on by the scheduled times. Intake decides by this, so an
     * election stops taking votes exactly at closesAt even before the clock has recorded its closing, and every
     * reader agrees with it.
     */
    public String statusAt(Instant now) {
        if (status.equals("closed") || (closesAt != null && !now.isBefore(closesAt))) {
            return "closed";
        }
        if (status.equals("open") || (opensAt != null && !now.isBefore(opensAt))) {
            return "open";
        }
        return "draft";
    }

    public boolean hasOption(String optionId) {
        return options.stream().anyMatch(option -> option.id().equals(optionId));
    }

    /** Results (tally, live stream, bulletin board) are public with live results on, and for everyone once closed. */
    public boolean resultsPublicAt(Instant now) {
        return liveResults || statusAt(now).equals("closed");
    }

    /** The contract's election list entry. */
    public Map<String, Object> summaryJson(Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("title", title);
        json.put("status", statusAt(now));
        json.put("opensAt", opensAt);
        json.put("closesAt", closesAt);
        return json;
    }

    /** The contract's election detail. */
    public Map<String, Object> detailJson(Instant now) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("issuer", issuerKey);
        keys.put("receipt", receiptKey);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("title", title);
        json.put("description", description);
        json.put("options", options);
        json.put("status", statusAt(now));
        json.put("opensAt", opensAt);
        json.put("closesAt", closesAt);
        json.put("eligibility", eligibility);
        json.put("liveResults", liveResults);
        json.put("revoting", revoting);
        json.put("keys", keys);
        return json;
    }
}
