package voting.command.election;

import voting.events.ElectionOption;
import voting.events.Eligibility;
import voting.events.PublishedKey;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An election as vote intake and the admin API see it: one row of the {@code election} table. */
public record ElectionRecord(String id,
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
     * election stops taking votes exactly at closesAt even before the clock has recorded its closing.
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

    /** The contract's election detail. */
    public Map<String, Object> toJson(Instant now) {
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
        json.put("keys", Map.of("issuer", issuerKey, "receipt", receiptKey));
        return json;
    }
}
