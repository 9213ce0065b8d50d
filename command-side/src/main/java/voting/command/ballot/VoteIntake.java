package voting.command.ballot;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import voting.command.election.ElectionDirectory;
import voting.events.ElectionDetail;
import voting.command.stats.IntakeCounters;
import voting.service.Blocking;
import voting.service.JsonBodies;
import voting.service.Problem;
import voting.service.ProblemResponses;
import voting.crypto.Base64Url;
import voting.crypto.IssuerPublicKey;
import voting.crypto.VoterPublicKey;
import voting.events.BallotCommands.CastVote;
import voting.events.SignedVote;
import voting.events.VoteFormat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * {@code POST /api/v1/elections/{electionId}/votes}: a signed vote in, a signed receipt out — the receipt only
 * after the vote's VoteCast event is committed. Checks run cheapest first; each failure is one contract problem.
 */
@Configuration
class VoteIntake {

    static final int MAX_BODY = 16 * 1024;

    private final BallotBox ballotBox;
    private final ElectionDirectory elections;
    private final Receipts receipts;
    private final JsonBodies bodies;
    private final IntakeCounters counters;
    private final Map<String, IssuerPublicKey> issuerKeys = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    VoteIntake(BallotBox ballotBox, ElectionDirectory elections, Receipts receipts, JsonBodies bodies,
               IntakeCounters counters) {
        this.ballotBox = ballotBox;
        this.counters = counters;
        this.elections = elections;
        this.receipts = receipts;
        this.bodies = bodies;
    }

    @Bean
    RouterFunction<ServerResponse> voteRoutes() {
        return route(POST("/api/v1/elections/{electionId}/votes"), this::cast);
    }

    private Mono<ServerResponse> cast(ServerRequest request) {
        String electionId = request.pathVariable("electionId");
        List<String> keyHeaders = request.headers().header("Idempotency-Key");
        if (keyHeaders.size() > 1) {
            return Mono.error(Problem.INVALID_VOTE.because("Send one Idempotency-Key header"));
        }
        String keyHeader = keyHeaders.isEmpty() ? null : keyHeaders.get(0);
        return bodies.bytes(request, MAX_BODY, Problem.VOTE_TOO_LARGE)
                .map(body -> SubmittedVote.parse(bodies.tree(request, body, Problem.INVALID_VOTE), electionId, keyHeader))
                // With the election in memory the checks are CPU work only, done where the request is: a hop to
                // another thread would cost more than it frees. Otherwise they may read the database: not here.
                .flatMap(vote -> elections.isKnown(electionId)
                        ? Mono.fromCallable(() -> checked(vote))
                        : Blocking.call(() -> checked(vote)))
                .flatMap(command -> cast(command, answeringThread(request)))
                .doOnNext(acceptance -> counters.count(electionId, acceptance.replayed() ? IntakeCounters.REPLAYED : IntakeCounters.ACCEPTED))
                .doOnError(failure -> {
                    // Only elections that exist are counted: made-up ids must not grow the table.
                    if (elections.isKnown(electionId)) {
                        counters.countRejection(electionId, ProblemResponses.asRejected(failure).problem().slug());
                    }
                })
                .flatMap(acceptance -> {
                    ServerResponse.BodyBuilder response = acceptance.replayed()
                            ? ServerResponse.ok().header("Idempotent-Replayed", "true")
                            : ServerResponse.status(HttpStatus.CREATED);
                    return response.contentType(MediaType.APPLICATION_JSON).bodyValue(receipts.signed(acceptance));
                });
    }

    /** Checks the vote against its election, its token and its signature; the ballot's rules are the Ballot's. */
    private CastVote checked(SubmittedVote submitted) {
        SignedVote vote = submitted.vote();
        ElectionDetail election = elections.find(vote.electionId())
                .orElseThrow(() -> Problem.UNKNOWN_ELECTION.because("No election '" + vote.electionId() + "'"));
        if (!election.hasOption(vote.choice())) {
            throw Problem.INVALID_VOTE.because("Election '" + election.id() + "' has no option '" + vote.choice() + "'");
        }
        String ballotId = verifiedBallot(election, vote.token());
        verifySignature(submitted);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new CastVote(ballotId, vote, submitted.voteHash(), submitted.castAt(), election.statusAt(now),
                election.revoting(), now, election.receiptKey().kid());
    }

    private Mono<VoteAcceptance> cast(CastVote command, Scheduler answering) {
        String idempotencyKey = command.vote().idempotencyKey();
        if (!inFlight.add(idempotencyKey)) {
            return Mono.error(Problem.REQUEST_IN_FLIGHT.because("A request with this idempotency key is being processed"));
        }
        // Released when the ballot box answers, before the answer is sent: a resend after it is no longer in flight.
        // A client that hangs up meanwhile cancels the answer, never this future: a cancelled future would skip the
        // release, and every resend of the vote would be "in flight" for good.
        // The answer (signing the receipt) goes on elsewhere: the writer that committed is free for the next batch.
        CompletableFuture<VoteAcceptance> answered = ballotBox.cast(command)
                .whenComplete((acceptance, failure) -> inFlight.remove(idempotencyKey));
        return Mono.fromFuture(answered, true).publishOn(answering);
    }

    /**
     * Where the answer is made once the ballot box has committed: the thread of the request's own connection, so
     * that signing the receipt and writing it need no further hand-over (each costs a thread wake-up).
     */
    private static Scheduler answeringThread(ServerRequest request) {
        try {
            if (ServerHttpRequestDecorator.getNativeRequest(request.exchange().getRequest()) instanceof Connection connection) {
                return Schedulers.fromExecutor(connection.channel().eventLoop());
            }
        } catch (IllegalStateException noConnection) {
            // a request made up in memory (WebTestClient bound to the application) has no connection
        }
        return Schedulers.parallel();
    }

    /** The token is the election issuer's signature over this voter key; its ballot id follows from it. */
    private String verifiedBallot(ElectionDetail election, SignedVote.BallotToken token) {
        if (!token.kid().equals(election.issuerKey().kid())) {
            throw Problem.INVALID_TOKEN.because("The token is not signed by this election's issuer key");
        }
        IssuerPublicKey issuer = issuerKeys.computeIfAbsent(token.kid(),
                kid -> IssuerPublicKey.parse(Base64Url.decode(election.issuerKey().spki())));
        byte[] tokenMessage = VoteFormat.tokenMessage(token.alg(), election.id(), token.publicKey());
        byte[] signed = VoteFormat.signedTokenBytes(Base64Url.decode(token.prefix()), tokenMessage);
        if (!issuer.verify(signed, Base64Url.decode(token.signature()))) {
            throw Problem.INVALID_TOKEN.because("The token's signature does not verify for this election");
        }
        return VoteFormat.ballotId(tokenMessage);
    }

    private static void verifySignature(SubmittedVote submitted) {
        SignedVote.BallotToken token = submitted.vote().token();
        VoterPublicKey voterKey;
        try {
            voterKey = VoterPublicKey.parse(token.alg(), Base64Url.decode(token.publicKey()));
        } catch (IllegalArgumentException e) {
            throw Problem.INVALID_SIGNATURE.because("The token's public key is not a valid " + token.alg() + " key");
        }
        if (!voterKey.verify(submitted.signedBytes(), submitted.signature())) {
            throw Problem.INVALID_SIGNATURE.because("The vote's signature does not verify with the token's key");
        }
    }
}
