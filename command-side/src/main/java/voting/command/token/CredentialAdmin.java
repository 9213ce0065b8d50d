package voting.command.token;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import voting.command.election.ElectionDirectory;
import voting.service.AdminToken;
import voting.service.Blocking;
import voting.service.JsonBodies;
import voting.service.Problem;
import voting.events.Eligibility;

import java.util.Map;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/** The admin API for credentials: each is shown once, here, and stored only as a hash. */
@Configuration
class CredentialAdmin {

    record IssueCredentials(@NotNull @Min(1) @Max(10_000) Integer count) {
    }

    private final ElectionDirectory directory;
    private final Credentials credentials;
    private final JsonBodies bodies;

    CredentialAdmin(ElectionDirectory directory, Credentials credentials, JsonBodies bodies) {
        this.directory = directory;
        this.credentials = credentials;
        this.bodies = bodies;
    }

    @Bean
    RouterFunction<ServerResponse> credentialAdminRoutes(AdminToken adminToken) {
        return route(POST("/api/v1/admin/elections/{electionId}/credentials"), this::issue)
                .filter(adminToken.required());
    }

    private Mono<ServerResponse> issue(ServerRequest request) {
        String electionId = request.pathVariable("electionId");
        return bodies.bytes(request, 1024, Problem.INVALID_REQUEST)
                .map(body -> bodies.read(request, body, IssueCredentials.class, Problem.INVALID_REQUEST))
                .flatMap(issue -> Blocking.call(() -> {
                    var election = directory.find(electionId)
                            .orElseThrow(() -> Problem.UNKNOWN_ELECTION.because("No election '" + electionId + "'"));
                    if (election.eligibility() != Eligibility.credential) {
                        throw Problem.INVALID_REQUEST.because("Election '" + electionId + "' is open to everyone: it takes no credentials");
                    }
                    return credentials.issue(electionId, issue.count());
                }))
                .flatMap(issued -> ServerResponse.status(HttpStatus.CREATED).bodyValue(Map.of("credentials", issued)));
    }
}
