package voting.audit;

import java.nio.file.Path;
import java.util.Map;

/** The command line: what to audit, where from, and where the JSON report goes. */
record AuditOptions(String electionId, String jdbcUrl, String user, String password, String baseUrl, Path json,
                    int threads, int attempts, int maxFindings) {

    static final String USAGE = """
            usage: voting audit --election <id> (--jdbc <url> [--user <u>] [--password <p>] | --url <base url>)
                                [--json <file>] [--threads <n>] [--attempts <n>] [--max-findings <n>]

              --election <id>      the election to audit
              --jdbc <url>         read its events from the PostgreSQL event store (a read-only JDBC URL is enough),
                                   e.g. jdbc:postgresql://replica:5432/voting; the password may also come from
                                   the environment variable PGPASSWORD
              --url <base url>     or read its public bulletin board and tally over HTTP, e.g. http://localhost:8080
              --json <file>        also write the JSON report there ('-': to standard output, the human report
                                   then goes to standard error)
              --threads <n>        threads verifying signatures (default: one per core)
              --attempts <n>       how often to read again while the board or tally is still catching up (default 4)
              --max-findings <n>   findings listed in the human report (default 50; the JSON has all)

            exit code: 0 clean, 1 discrepancies found, 2 the audit could not be done (usage, access, unknown election)
            """;

    /** @throws IllegalArgumentException with what is wrong in the arguments */
    static AuditOptions parse(String[] args, Map<String, String> environment) {
        String election = null;
        String jdbc = null;
        String user = null;
        String password = null;
        String url = null;
        Path json = null;
        int threads = Runtime.getRuntime().availableProcessors();
        int attempts = 4;
        int maxFindings = 50;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg;
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--election" -> election = value;
                case "--jdbc" -> jdbc = value;
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--url" -> url = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
                case "--json" -> json = Path.of(value);
                case "--threads" -> threads = positive(name, value);
                case "--attempts" -> attempts = positive(name, value);
                case "--max-findings" -> maxFindings = positive(name, value);
                default -> throw new IllegalArgumentException("unknown option: " + name);
            }
        }
        if (election == null || election.isBlank()) {
            throw new IllegalArgumentException("--election is required");
        }
        if ((jdbc == null) == (url == null)) {
            throw new IllegalArgumentException("give either --jdbc or --url");
        }
        if (url != null && (user != null || password != null)) {
            throw new IllegalArgumentException("--user and --password go with --jdbc");
        }
        if (jdbc != null && !jdbc.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--jdbc takes a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
        }
        if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("--url takes an http:// or https:// base URL");
        }
        if (jdbc != null && password == null) {
            password = environment.get("PGPASSWORD");
        }
        return new AuditOptions(election, jdbc, user, password, url, json, threads, attempts, maxFindings);
    }

    private static int positive(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(name + " takes a whole number above 0, not " + value);
    }

    /** The source as the report names it: the JDBC URL without its parameters (which may hold a password). */
    String source() {
        if (jdbcUrl != null) {
            int query = jdbcUrl.indexOf('?');
            return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        }
        return baseUrl;
    }
}
