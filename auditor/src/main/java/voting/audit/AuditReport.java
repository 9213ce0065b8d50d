package voting.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What an audit found, as a short human report and as JSON (docs/auditing.md describes both). */
public final class AuditReport {

    /** The report format's version, in the JSON as {@code "format"}. */
    static final int FORMAT = 1;

    final String mode;
    final String source;
    final Instant startedAt = Instant.now();
    Election election;
    double seconds;

    long events;
    long votes;
    long validVotes;
    long ballots;
    long boardLines;
    Long receipts;
    long pending;

    Long tallyPosition;
    String tallyAsOf;
    Map<String, Long> published;
    Map<String, Long> recount;
    Long publishedTotal;
    long recountTotal;
    Map<String, Long> result;
    long resultTotal;

    final List<String> notes = new ArrayList<>();
    final List<Finding> findings = new ArrayList<>();

    AuditReport(String mode, String source) {
        this.mode = mode;
        this.source = source;
    }

    public boolean clean() {
        return findings.isEmpty();
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    /** Findings in report order: by board position, then event, then kind. */
    void sortFindings() {
        findings.sort(Comparator
                .comparing((Finding f) -> f.position() == null ? Long.MAX_VALUE : f.position())
                .thenComparing(f -> f.globalIndex() == null ? Long.MAX_VALUE : f.globalIndex())
                .thenComparing(f -> f.kind().ordinal()));
    }

    double votesPerSecond() {
        return seconds > 0 ? votes / seconds : 0;
    }

    public ObjectNode toJson() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode json = nodes.objectNode();
        json.put("format", FORMAT);
        json.put("clean", clean());
        json.put("mode", mode);
        json.put("source", source);
        json.put("startedAt", startedAt.toString());
        json.put("seconds", Math.round(seconds * 1000) / 1000.0);
        json.put("votesPerSecond", Math.round(votesPerSecond()));
        if (election != null) {
            ObjectNode e = json.putObject("election");
            e.put("id", election.id);
            e.put("title", election.title);
            ArrayNode options = e.putArray("options");
            election.options.forEach(options::add);
            e.put("revoting", election.revoting);
            e.put("issuerKid", election.issuerKid);
            e.put("receiptKid", election.receiptKid);
            if (election.publishedStatus == null) {
                e.put("opening", election.opening() == null ? null : election.opening().toString());
                e.put("closing", election.closing() == null ? null : election.closing().toString());
            } else {
                e.put("status", election.publishedStatus);
                e.put("opensAt", election.opensAt == null ? null : election.opensAt.toString());
                e.put("closesAt", election.closesAt == null ? null : election.closesAt.toString());
            }
        }
        ObjectNode counts = json.putObject("counts");
        if ("jdbc".equals(mode)) {
            counts.put("events", events);
        }
        counts.put("votes", votes);
        counts.put("validVotes", validVotes);
        counts.put("ballots", ballots);
        counts.put("boardLines", boardLines);
        if (receipts != null) {
            counts.put("receipts", receipts);
        }
        counts.put("notYetOnBoard", pending);
        ObjectNode tally = json.putObject("tally");
        tally.put("position", tallyPosition);
        tally.put("asOf", tallyAsOf);
        tally.set("published", countsJson(published));
        tally.put("publishedTotal", publishedTotal);
        tally.set("recount", countsJson(recount));
        tally.put("recountTotal", recountTotal);
        tally.put("matches", published != null && findings.stream()
                .noneMatch(f -> f.kind() == Finding.Kind.TALLY_MISMATCH));
        ObjectNode resultJson = json.putObject("result");
        resultJson.set("counts", countsJson(result));
        resultJson.put("total", resultTotal);
        ArrayNode notesJson = json.putArray("notes");
        notes.forEach(notesJson::add);
        ObjectNode byKind = json.putObject("findingsByKind");
        kindCounts().forEach(byKind::put);
        ArrayNode findingsJson = json.putArray("findings");
        findings.forEach(f -> findingsJson.add(f.toJson()));
        return json;
    }

    private static ObjectNode countsJson(Map<String, Long> counts) {
        if (counts == null) {
            return null;
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        counts.forEach(json::put);
        return json;
    }

    private Map<String, Integer> kindCounts() {
        Map<String, Integer> byKind = new TreeMap<>();
        findings.forEach(f -> byKind.merge(f.kind().slug(), 1, Integer::sum));
        return byKind;
    }

    /** The human report: what was read, what was checked, the tally, then each finding on a line. */
    public void print(PrintStream out, int maxFindings) {
        out.printf("Audit of election %s%s%n", election == null ? "?" : election.id,
                election == null || election.title == null ? "" : " (\"" + election.title + "\")");
        out.printf("  source:  %s %s%n", mode.equals("jdbc") ? "event store" : "bulletin board", source);
        if (election != null) {
            out.printf("  window:  %s; revoting %s; options %s%n", election.describeWindow(),
                    election.revoting ? "on" : "off", String.join(", ", election.options));
        }
        out.printf(Locale.ROOT, "  read:    %s%d votes on %d ballots, %d board lines%s%n",
                mode.equals("jdbc") ? events + " events, " : "", votes, ballots, boardLines,
                receipts == null ? "" : ", " + receipts + " receipts");
        out.printf(Locale.ROOT, "  checked: %d votes in %.2f s (%,.0f votes/s): token and vote signatures, hashes, "
                        + "ballots, options, window%s; %d valid%n", votes, seconds, votesPerSecond(),
                mode.equals("jdbc") ? ", board and receipts against events" : "", validVotes);
        if (tallyPosition != null) {
            out.printf("  tally:   at position %d published %s, recount %s%n", tallyPosition,
                    format(published, publishedTotal), format(recount, recountTotal));
        }
        if (result != null) {
            out.printf("  result:  %s over every valid vote%n", format(result, resultTotal));
        }
        notes.forEach(note -> out.println("  note:    " + note));
        if (clean()) {
            out.println("CLEAN: no discrepancies.");
            return;
        }
        out.printf("%d FINDING%s:", findings.size(), findings.size() == 1 ? "" : "S");
        kindCounts().forEach((kind, n) -> out.printf(" %s %d", kind, n));
        out.println();
        findings.stream().limit(maxFindings).forEach(f ->
                out.printf("  [%s] %s: %s%n", f.kind().slug(), f.where().isEmpty() ? "election" : f.where(),
                        f.detail()));
        if (findings.size() > maxFindings) {
            out.printf("  ... and %d more (all of them are in the JSON report)%n", findings.size() - maxFindings);
        }
    }

    private static String format(Map<String, Long> counts, Long total) {
        if (counts == null) {
            return "(none)";
        }
        Map<String, Long> shown = new LinkedHashMap<>(counts);
        StringBuilder text = new StringBuilder("{");
        shown.forEach((option, n) -> text.append(text.length() > 1 ? ", " : "").append(option).append(": ").append(n));
        text.append("}");
        if (total != null) {
            text.append(" total ").append(total);
        }
        return text.toString();
    }
}
