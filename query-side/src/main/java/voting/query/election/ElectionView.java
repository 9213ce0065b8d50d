package voting.query.election;

import voting.events.ElectionOption;
import voting.events.Eligibility;
import voting.events.PublishedKey;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An election as the public sees it: one row of the catalogue. */
public record ElectionView(String id,
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
     * The status at a moment: the recorded one, moved on by the scheduled times, exactly as vote intake decides
     * (the command side's ElectionRecord.statusAt), so both services agree the moment closesAt passes.
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
