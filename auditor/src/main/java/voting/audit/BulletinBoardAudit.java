package voting.audit;

import com.fasterxml.jackson.databind.JsonNode;
import voting.audit.Finding.Kind;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit from the public API alone, as any outside auditor can do it: the election's published detail (its
 * options, window and keys), its bulletin board (every accepted vote, signed) and its tally. Each line is verified
 * like an event; the first {@code position} lines are recounted and compared with the tally at that position.
 * <p>
 * The tally is read first and the board after it: the board only grows, so it then holds at least the tally's
 * lines. Should it not (the tally moved on between reads elsewhere), both are read again.
 */
final class BulletinBoardAudit {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long RETRY_MILLIS = 1500;

    private final AuditOptions options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    BulletinBoardAudit(AuditOptions options) {
        this.options = options;
    }

    AuditReport run() throws AuditException, InterruptedException {
        String path = options.baseUrl() + "/api/v1/elections/"
                + URLEncoder.encode(options.electionId(), StandardCharsets.UTF_8).replace("+", "%20");
        for (int attempt = 1; ; attempt++) {
            AuditReport report = new AuditReport("url", options.source());
            long started = System.nanoTime();
            boolean settled = audit(path, report, attempt == options.attempts());
            report.seconds = (System.nanoTime() - started) / 1e9;
            if (settled || attempt >= options.attempts()) {
                return report;
            }
            Thread.sleep(RETRY_MILLIS);
        }
    }

    /** @return false if the board had fewer lines than the tally's position and a later read may settle it */
    private boolean audit(String path, AuditReport report, boolean lastAttempt)
            throws AuditException, InterruptedException {
        JsonNode detail = getJson(path, "the election");
        List<Finding> findings = report.findings;
        Election election;
        try {
            election = Election.parse(detail, problem ->
                    findings.add(Finding.aboutTally(Kind.INVALID_ELECTION, problem, null, null)));
        } catch (IllegalArgumentException e) {
            throw new AuditException("the published election cannot be read: " + e.getMessage(), e);
        }
        if (!options.electionId().equals(election.id)) {
            findings.add(Finding.aboutTally(Kind.INVALID_ELECTION, "the published detail is of election "
                    + election.id, null, null));
        }
        report.election = election;
        report.notes.add("over HTTP only the schedule is published: votes are checked against closesAt (and a "
                + "draft takes none); the recorded opening and closing are in the event store (--jdbc checks them)");

        JsonNode tally = getJson(path + "/tally", "the tally");
        long position = tally.path("position").asLong(-1);

        List<VoteRecord> lines = new ArrayList<>();
        VoteVerifier verifier = new VoteVerifier(election);
        try (Verification verification = new Verification(options.threads(), verifier::verifyLine);
             InputStream body = get(path + "/ballots?after=0", "the bulletin board", "application/x-ndjson");
             BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
            String text;
            while ((text = reader.readLine()) != null) {
                if (text.isEmpty()) {
                    continue;
                }
                VoteRecord line = new VoteRecord(-1, null, -1, text.getBytes(StandardCharsets.UTF_8));
                line.lineNumber = lines.size() + 1;
                lines.add(line);
                verification.add(line);
            }
            verification.finish();
        } catch (IOException e) {
            throw new AuditException("reading the bulletin board failed: " + e.getMessage(), e);
        }
        if (lines.size() < position && !lastAttempt) {
            return false;
        }
        report.boardLines = lines.size();
        report.votes = lines.size();
        lines.forEach(line -> findings.addAll(line.findings()));
        report.validVotes = lines.stream().filter(line -> line.valid).count();

        long expected = 1;
        for (VoteRecord line : lines) {
            if (line.position > 0 && line.position != expected) {
                findings.add(Finding.about(line, Kind.BOARD_GAP, line.position > expected
                        ? "the board has no line at position " + expected
                        + (line.position > expected + 1 ? " to " + (line.position - 1) : "")
                        + " (it goes on at position " + line.position + ")"
                        : "line " + line.lineNumber + " has position " + line.position + ", expected " + expected));
            }
            if (line.position > 0) {
                expected = line.position + 1;
            }
        }
        Map<String, List<VoteRecord>> ballots = new LinkedHashMap<>();
        for (VoteRecord line : lines) {
            String ballot = line.derivedBallotId != null ? line.derivedBallotId : line.ballotId;
            if (ballot != null) {
                ballots.computeIfAbsent(ballot, id -> new ArrayList<>()).add(line);
            }
        }
        report.ballots = ballots.size();
        ballots.values().forEach(ballot -> Analysis.checkBallot(ballot, election, findings));
        Analysis.checkDuplicates(lines, findings);

        checkTally(tally, position, lines, election, report);
        report.result = Analysis.recount(lines, election);
        report.resultTotal = Analysis.total(report.result);
        report.sortFindings();
        return true;
    }

    private static void checkTally(JsonNode tally, long position, List<VoteRecord> lines, Election election,
                                   AuditReport report) {
        List<Finding> findings = report.findings;
        JsonNode counts = tally.get("counts");
        if (position < 0 || counts == null || !counts.isObject() || !tally.path("total").canConvertToLong()) {
            findings.add(Finding.aboutTally(Kind.TALLY_MISMATCH, "the published tally is not in the contract's form: "
                    + tally, null, null));
            return;
        }
        if (!election.id.equals(Json.text(tally, "electionId"))) {
            findings.add(Finding.aboutTally(Kind.TALLY_MISMATCH, "the tally is of election "
                    + Json.text(tally, "electionId"), position, null));
        }
        Map<String, Long> published = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> count = it.next();
            published.put(count.getKey(), count.getValue().asLong());
        }
        report.tallyPosition = position;
        report.tallyAsOf = Json.text(tally, "asOf");
        report.published = published;
        report.publishedTotal = tally.get("total").asLong();
        if (lines.size() < position) {
            findings.add(Finding.aboutTally(Kind.TALLY_MISMATCH, "the tally is at position " + position
                    + " but the board has only " + lines.size() + " lines", position, null));
        }
        List<VoteRecord> counted = lines.stream().filter(line -> line.lineNumber <= position).toList();
        report.recount = Analysis.recount(counted, election);
        report.recountTotal = Analysis.total(report.recount);
        Analysis.compareTally(published, report.publishedTotal, report.recount, position, election, findings);
    }

    private JsonNode getJson(String url, String what) throws AuditException, InterruptedException {
        try (InputStream body = get(url, what, "application/json")) {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AuditException("cannot read " + what + " at " + url + ": " + e.getMessage(), e);
        }
    }

    /** GET, retrying while the service answers 503 (a read model rebuilding, the database away). */
    private InputStream get(String url, String what, String accept) throws AuditException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Accept", accept)
                .GET().build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<InputStream> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new AuditException("cannot read " + what + " at " + url + ": " + e, e);
            }
            int status = response.statusCode();
            if (status == 200) {
                return response.body();
            }
            String problem = problem(response);
            if (status == 503 && attempt < 10) {
                Thread.sleep(1000);
                continue;
            }
            if (status == 404) {
                throw new AuditException("there is no election '" + options.electionId() + "' at " + options.baseUrl()
                        + problem);
            }
            if (status == 403) {
                throw new AuditException("the results of election '" + options.electionId() + "' are not public "
                        + "yet (live results off and not closed): its board and tally can be audited once it closes"
                        + problem);
            }
            throw new AuditException("reading " + what + " at " + url + " answered HTTP " + status + problem);
        }
    }

    private static String problem(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            JsonNode problem = Json.MAPPER.readTree(body.readNBytes(16 * 1024));
            String detail = Json.text(problem, "detail");
            return detail == null ? "" : " (" + detail + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
