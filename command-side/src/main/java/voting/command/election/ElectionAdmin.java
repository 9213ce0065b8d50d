package voting.command.election;

import voting.events.ElectionDetail;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import voting.command.keys.SigningKeys;
import voting.service.AdminToken;
import voting.service.Blocking;
import voting.service.JsonBodies;
import voting.service.Problem;
import voting.crypto.Base64Url;
import voting.crypto.IssuerKey;
import voting.crypto.ReceiptKey;
import voting.events.ElectionCommands.CloseElection;
import voting.events.ElectionCommands.CreateElection;
import voting.events.ElectionCommands.OpenElection;
import voting.events.ElectionOption;
import voting.events.PublishedKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/** The admin API for elections: create, open, close. */
@Configuration
class ElectionAdmin {

    static final String ID_PATTERN = "[A-Za-z0-9_-]{1,64}";
    private static final int MAX_BODY = 64 * 1024;

    private final CommandGateway commands;
    private final ElectionDirectory directory;
    private final SigningKeys keys;
    private final JsonBodies bodies;

    ElectionAdmin(CommandGateway commands, ElectionDirectory directory, SigningKeys keys, JsonBodies bodies) {
        this.commands = commands;
        this.directory = directory;
        this.keys = keys;
        this.bodies = bodies;
    }

    @Bean
    RouterFunction<ServerResponse> electionAdminRoutes(AdminToken adminToken) {
        return route(POST("/api/v1/admin/elections"), this::create)
                .andRoute(POST("/api/v1/admin/elections/{electionId}/open"), this::open)
                .andRoute(POST("/api/v1/admin/elections/{electionId}/close"), this::close)
                .filter(adminToken.required());
    }

    private Mono<ServerResponse> create(ServerRequest request) {
        return bodies.bytes(request, MAX_BODY, Problem.INVALID_ELECTION)
                .map(body -> bodies.read(request, body, CreateElectionRequest.class, Problem.INVALID_ELECTION))
                .flatMap(create -> Blocking.call(() -> create(create)))
                .flatMap(election -> ServerResponse.status(HttpStatus.CREATED).bodyValue(election.detailJson(Instant.now())));
    }

    private ElectionDetail create(CreateElectionRequest request) {
        String electionId = request.id() != null ? request.id() : UUID.randomUUID().toString();
        if (directory.find(electionId).isPresent()) {
            throw Problem.ELECTION_EXISTS.because("Election '" + electionId + "' exists");
        }
        IssuerKey issuerKey = keys.createIssuerKey(electionId);
        ReceiptKey receiptKey = keys.currentReceiptKey();
        try {
            commands.sendAndWait(new CreateElection(electionId, request.title(), request.description(),
                    optionsOf(request.options()), request.opensAt(), request.closesAt(), request.eligibility(),
                    request.liveResults(), request.revoting(),
                    new PublishedKey(issuerKey.kid(), "RSABSSA-SHA384-PSS-Randomized", Base64Url.encode(issuerKey.publicKeySpki())),
                    new PublishedKey(receiptKey.kid(), "Ed25519", Base64Url.encode(receiptKey.publicKeySpki()))));
        } catch (AggregateStreamCreationException raced) {
            // Another admin created the same id at the same moment: its aggregate exists, ours never did.
            keys.forgetIssuerKey(issuerKey.kid());
            throw Problem.ELECTION_EXISTS.because("Election '" + electionId + "' exists");
        } catch (RuntimeException rejected) {
            keys.forgetIssuerKey(issuerKey.kid());
            throw rejected;
        }
        return directory.find(electionId).orElseThrow();
    }

    /** Options keep the ids the admin gave; the others get one made from their label. */
    private static List<ElectionOption> optionsOf(List<CreateElectionRequest.Option> requested) {
        Set<String> taken = new HashSet<>();
        requested.stream().map(CreateElectionRequest.Option::id).filter(id -> id != null).forEach(taken::add);
        List<ElectionOption> options = new ArrayList<>();
        for (CreateElectionRequest.Option option : requested) {
            String id = option.id();
            if (id == null) {
                String base = option.label().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
                base = base.isEmpty() ? "option" : base.substring(0, Math.min(base.length(), 48));
                id = base;
                for (int n = 2; taken.contains(id); n++) {
                    id = base + "-" + n;
                }
                taken.add(id);
            }
            options.add(new ElectionOption(id, option.label()));
        }
        return options;
    }

    private Mono<ServerResponse> open(ServerRequest request) {
        return change(request.pathVariable("electionId"), id -> new OpenElection(id, Instant.now()));
    }

    private Mono<ServerResponse> close(ServerRequest request) {
        return change(request.pathVariable("electionId"), id -> new CloseElection(id, Instant.now()));
    }

    private Mono<ServerResponse> change(String electionId, java.util.function.Function<String, Object> command) {
        return Blocking.call(() -> {
                    if (directory.find(electionId).isEmpty()) {
                        throw Problem.UNKNOWN_ELECTION.because("No election '" + electionId + "'");
                    }
                    try {
                        commands.sendAndWait(command.apply(electionId));
                    } catch (AggregateNotFoundException e) {
                        throw Problem.UNKNOWN_ELECTION.because("No election '" + electionId + "'");
                    }
                    return directory.find(electionId).orElseThrow();
                })
                .flatMap(election -> ServerResponse.ok().bodyValue(election.detailJson(Instant.now())));
    }
}
