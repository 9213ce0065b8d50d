package voting.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/** The auditor run as its command line runs it: exit code, human report, and the JSON report it wrote. */
record AuditRun(int exitCode, String out, String err, JsonNode json) {

    static AuditRun jdbc(String electionId, String jdbcUrl, String... more) {
        List<String> args = new ArrayList<>(List.of("--election", electionId, "--jdbc", jdbcUrl, "--user", "postgres",
                "--attempts", "2"));
        args.addAll(List.of(more));
        return run(args);
    }

    static AuditRun url(String electionId, String baseUrl, String... more) {
        List<String> args = new ArrayList<>(List.of("--election", electionId, "--url", baseUrl, "--attempts", "2"));
        args.addAll(List.of(more));
        return run(args);
    }

    static AuditRun run(List<String> arguments) {
        try {
            Path json = Files.createTempFile(Path.of("target"), "audit-", ".json");
            List<String> args = new ArrayList<>(arguments);
            args.addAll(List.of("--json", json.toString()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Auditor.run(args.toArray(String[]::new), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            JsonNode report = Files.size(json) == 0 ? null : Json.MAPPER.readTree(json.toFile());
            Files.delete(json);
            AuditRun run = new AuditRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    report);
            System.out.println(run.out() + run.err());
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The findings of one kind, as JSON objects. */
    List<JsonNode> findings(String kind) {
        return StreamSupport.stream(json.get("findings").spliterator(), false)
                .filter(finding -> finding.get("kind").asText().equals(kind)).toList();
    }

    List<String> kinds() {
        return StreamSupport.stream(json.get("findings").spliterator(), false)
                .map(finding -> finding.get("kind").asText()).distinct().toList();
    }
}
