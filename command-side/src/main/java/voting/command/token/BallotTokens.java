package voting.command.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import voting.command.election.ElectionDirectory;
import voting.events.ElectionDetail;
import voting.command.keys.SigningKeys;
import voting.command.stats.IntakeCounters;
import voting.service.Blocking;
import voting.service.JsonBodies;
import voting.service.Problem;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;
import voting.crypto.IssuerKey;
import voting.crypto.VoterPublicKey;
import voting.events.Eligibility;
import voting.events.VoteFormat;

import java.time.Instant;
import java.util.Iterator;
import java.util.Set;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * Ballot token issuance (contract: Ballot token). Direct issuance signs the token message itself; blind issuance
 * (RFC 9474) signs a blinded message the client finalizes. Either way the token verifies with a plain RSA-PSS
 * verifier, and one token is one ballot.
 */
@Configuration
class BallotTokens {

    private static final int MAX_BODY = 4 * 1024;
    private static final Set<String> DIRECT_FIELDS = Set.of("alg", "publicKey", "prefix", "credential");
    private static final Set<String> BLIND_FIELDS = Set.of("blindedMessage", "credential");

    private final ElectionDirectory directory;
    private final SigningKeys keys;
    private final Credentials credentials;
    private final JsonBodies bodies;
    private final ObjectMapper json;
    private final IntakeCounters counters;

    BallotTokens(ElectionDirectory directory, SigningKeys keys, Credentials credentials, JsonBodies bodies, ObjectMapper json,
                 IntakeCounters counters) {
        this.counters = counters;
        this.directory = directory;
        this.keys = keys;
        this.credentials = credentials;
        this.bodies = bodies;
        this.json = json;
    }

    @Bean
    RouterFunction<ServerResponse> ballotTokenRoutes() {
        return route(POST("/api/v1/elections/{electionId}/ballot-tokens"), this::issue);
    }

    private Mono<ServerResponse> issue(ServerRequest request) {
        String electionId = request.pathVariable("electionId");
        return bodies.bytes(request, MAX_BODY, Problem.INVALID_TOKEN_REQUEST)
                .map(body -> bodies.tree(request, body, Problem.INVALID_TOKEN_REQUEST))
                .flatMap(body -> Blocking.call(() -> issue(electionId, body)))
                .doOnNext(answer -> {
                    if (!answer.repeated()) {
                        counters.count(electionId, IntakeCounters.TOKEN_ISSUED);
                    }
                })
                .flatMap(answer -> ServerResponse.status(answer.repeated() ? HttpStatus.OK : HttpStatus.CREATED)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(answer.json()));
    }

    private Credentials.Answer issue(String electionId, JsonNode body) {
        ElectionDetail election = directory.find(electionId)
                .orElseThrow(() -> Problem.UNKNOWN_ELECTION.because("No election '" + electionId + "'"));
        if (election.statusAt(Instant.now()).equals("closed")) {
            throw Problem.ELECTION_CLOSED.because("Election '" + electionId + "' is closed");
        }
        if (!body.isObject()) {
            throw Problem.INVALID_TOKEN_REQUEST.because("The body must be a JSON object");
        }
        boolean blind = body.has("blindedMessage");
        requireOnly(body, blind ? BLIND_FIELDS : DIRECT_FIELDS);
        IssuerKey issuerKey = keys.issuerKey(election.issuerKey().kid());
        ObjectNode request = ((ObjectNode) body).deepCopy();
        JsonNode credential = request.remove("credential");
        String answer = blind ? blindSignature(issuerKey, request) : token(issuerKey, electionId, request);

        if (election.eligibility() == Eligibility.open) {
            return new Credentials.Answer(answer, false);
        }
        if (credential == null || !credential.isTextual() || credential.asText().isEmpty()) {
            throw Problem.INVALID_TOKEN_REQUEST.because("This election needs a credential");
        }
        return credentials.redeem(electionId, credential.asText(), CanonicalJson.of(request), answer);
    }

    private String token(IssuerKey issuerKey, String electionId, ObjectNode request) {
        String alg = text(request, "alg");
        String publicKey = text(request, "publicKey");
        byte[] prefix = bytes(request, "prefix");
        if (prefix.length != 32) {
            throw Problem.INVALID_TOKEN_REQUEST.because("prefix must be 32 bytes");
        }
        try {
            VoterPublicKey.parse(alg, Base64Url.decode(publicKey));
        } catch (IllegalArgumentException e) {
            throw Problem.INVALID_TOKEN_REQUEST.because("publicKey is not a valid " + alg + " key: " + e.getMessage());
        }
        byte[] tokenMessage = VoteFormat.tokenMessage(alg, electionId, publicKey);
        byte[] signature = issuerKey.sign(VoteFormat.signedTokenBytes(prefix, tokenMessage));
        ObjectNode token = json.createObjectNode()
                .put("kid", issuerKey.kid())
                .put("alg", alg)
                .put("publicKey", publicKey)
                .put("prefix", Base64Url.encode(prefix))
                .put("signature", Base64Url.encode(signature));
        return json.createObjectNode().set("token", token).toString();
    }

    private String blindSignature(IssuerKey issuerKey, ObjectNode request) {
        byte[] blindSignature;
        try {
            blindSignature = issuerKey.blindSign(bytes(request, "blindedMessage"));
        } catch (IllegalArgumentException e) {
            throw Problem.INVALID_TOKEN_REQUEST.because("blindedMessage is not valid for this issuer key");
        }
        return json.createObjectNode().put("blindSignature", Base64Url.encode(blindSignature)).toString();
    }

    private static void requireOnly(JsonNode body, Set<String> allowed) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw Problem.INVALID_TOKEN_REQUEST.because("Unknown field '" + name + "'");
            }
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw Problem.INVALID_TOKEN_REQUEST.because("Field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static byte[] bytes(JsonNode body, String field) {
        try {
            return Base64Url.decode(text(body, field));
        } catch (IllegalArgumentException e) {
            throw Problem.INVALID_TOKEN_REQUEST.because("Field '" + field + "' is not base64url without padding");
        }
    }
}
