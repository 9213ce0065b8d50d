package voting.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Map;

/**
 * {@code voting audit}: replays one election from the event store (or reads its public bulletin board), verifies
 * every vote and recounts the tally, without trusting the servers. See docs/auditing.md.
 *
 * <p>Exit code 0: clean; 1: discrepancies (each named in the report); 2: the audit could not be done.
 */
public final class Auditor {

    public static final int CLEAN = 0;
    public static final int DISCREPANCIES = 1;
    public static final int NOT_AUDITED = 2;

    private Auditor() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs an audit as the command line asks; returns the exit code. */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            out.print(AuditOptions.USAGE);
            return CLEAN;
        }
        AuditOptions options;
        try {
            options = AuditOptions.parse(args, environment);
        } catch (IllegalArgumentException e) {
            err.println("voting audit: " + e.getMessage());
            err.print(AuditOptions.USAGE);
            return NOT_AUDITED;
        }
        AuditReport report;
        try {
            report = audit(options);
        } catch (AuditException e) {
            err.println("voting audit: NOT AUDITED: " + e.getMessage());
            return NOT_AUDITED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("voting audit: interrupted");
            return NOT_AUDITED;
        }
        boolean jsonToStdout = options.json() != null && options.json().toString().equals("-");
        report.print(jsonToStdout ? err : out, options.maxFindings());
        if (options.json() != null) {
            try {
                byte[] json = Json.MAPPER.writeValueAsBytes(report.toJson());
                if (jsonToStdout) {
                    out.write(json);
                    out.println();
                    out.flush();
                } else {
                    Files.write(options.json(), json);
                    out.println("JSON report: " + options.json().toAbsolutePath());
                }
            } catch (IOException e) {
                err.println("voting audit: cannot write the JSON report to " + options.json() + ": " + e.getMessage());
                return NOT_AUDITED;
            }
        }
        return report.clean() ? CLEAN : DISCREPANCIES;
    }

    /** The audit itself, for callers that want the report rather than an exit code. */
    static AuditReport audit(AuditOptions options) throws AuditException, InterruptedException {
        return options.jdbcUrl() != null ? new EventStoreAudit(options).run() : new BulletinBoardAudit(options).run();
    }
}
