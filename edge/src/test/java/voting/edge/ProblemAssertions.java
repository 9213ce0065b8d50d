package voting.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** What every error of the edge must look like: the contract's problem JSON, and nothing of the server's insides. */
final class ProblemAssertions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemAssertions() {
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode assertProblem(HttpResponse<String> response, int status, String slug, boolean retryable) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("https://voting.invalid/problems/" + slug);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("retryable").isBoolean()).isTrue();
        assertThat(problem.path("retryable").asBoolean()).isEqualTo(retryable);
        assertNoServerInsides(response.body());
        if (retryable) {
            assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        }
        return problem;
    }

    static void assertNoServerInsides(String body) {
        assertThat(body).doesNotContainIgnoringCase("exception")
                .doesNotContain("\tat ")
                .doesNotContain("at org.")
                .doesNotContain("at voting.")
                .doesNotContain("at reactor.")
                .doesNotContainIgnoringCase("\"trace\"")
                .doesNotContain("127.0.0.1");
    }
}
