package voting.command.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import voting.command.IntakeTest;
import voting.command.TestVoter;
import voting.command.VotingApi;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;
import voting.crypto.Digests;
import voting.crypto.VoterPublicKey;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Accepted votes: a signed receipt after commit, exactly one VoteCast, the same receipt on every resend. */
@IntakeTest
class VoteIntakeTest {

    @Autowired
    WebTestClient http;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    VotingApi api;

    @BeforeEach
    void setUp() {
        api = new VotingApi(http);
    }

    @Test
    void an_ed25519_vote_is_accepted_with_a_receipt_that_verifies() {
        acceptsAndReceiptVerifies(TestVoter.ed25519());
    }

    @Test
    void an_es256_vote_is_accepted_with_a_receipt_that_verifies() {
        acceptsAndReceiptVerifies(TestVoter.es256());
    }

    private void acceptsAndReceiptVerifies(TestVoter voter) {
        JsonNode election = api.openElection(Map.of());
        String electionId = election.get("id").asText();
        ObjectNode vote = api.vote(electionId, api.token(electionId, voter), voter, "yes", Instant.now());

        EntityExchangeResult<byte[]> answer = api.post(vote);

        assertThat(answer.getStatus().value()).isEqualTo(201);
        JsonNode receipt = VotingApi.json(answer.getResponseBody());
        String expectedVoteHash = Base64Url.encode(Digests.sha256(CanonicalJson.of(vote)));
        assertThat(receipt.get("electionId").asText()).isEqualTo(electionId);
        assertThat(receipt.get("voteId").asText()).isEqualTo(vote.get("voteId").asText());
        assertThat(receipt.get("voteHash").asText()).isEqualTo(expectedVoteHash);
        assertThat(receipt.get("kid").asText()).isEqualTo(election.at("/keys/receipt/kid").asText());
        assertReceiptVerifies(receipt, election);
        assertThat(voteCastEvents(receipt.get("ballotId").asText())).isEqualTo(1);
    }

    @Test
    void the_same_vote_again_gets_the_identical_receipt_and_stores_nothing_more() {
        TestVoter voter = TestVoter.ed25519();
        String electionId = api.openElection(Map.of()).get("id").asText();
        ObjectNode vote = api.vote(electionId, api.token(electionId, voter), voter, "no", Instant.now());

        EntityExchangeResult<byte[]> first = api.post(vote);
        EntityExchangeResult<byte[]> again = api.post(vote);

        assertThat(first.getStatus().value()).isEqualTo(201);
        assertThat(again.getStatus().value()).isEqualTo(200);
        assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.getResponseBody()).isEqualTo(first.getResponseBody());
        assertThat(voteCastEvents(VotingApi.json(first.getResponseBody()).get("ballotId").asText())).isEqualTo(1);
    }

    @Test
    void fifty_concurrent_submissions_of_one_vote_store_it_once_and_all_get_its_receipt_or_in_flight() throws Exception {
        TestVoter voter = TestVoter.es256();
        String electionId = api.openElection(Map.of()).get("id").asText();
        ObjectNode vote = api.vote(electionId, api.token(electionId, voter), voter, "yes", Instant.now());

        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Callable<EntityExchangeResult<byte[]>>> submissions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            submissions.add(() -> api.post(vote));
        }
        List<EntityExchangeResult<byte[]>> answers = new ArrayList<>();
        for (Future<EntityExchangeResult<byte[]>> answer : pool.invokeAll(submissions)) {
            answers.add(answer.get());
        }
        pool.shutdown();

        EntityExchangeResult<byte[]> settled = api.post(vote);
        assertThat(settled.getStatus().value()).as(new String(settled.getResponseBody())).isEqualTo(200);
        byte[] receipt = settled.getResponseBody();
        int created = 0;
        for (EntityExchangeResult<byte[]> answer : answers) {
            int status = answer.getStatus().value();
            if (status == 409) {
                JsonNode problem = VotingApi.json(answer.getResponseBody());
                assertThat(problem.get("type").asText()).endsWith("/request-in-flight");
                assertThat(problem.get("retryable").asBoolean()).isTrue();
            } else {
                assertThat(status).as(new String(answer.getResponseBody())).isIn(200, 201);
                assertThat(answer.getResponseBody()).isEqualTo(receipt);
                created += status == 201 ? 1 : 0;
            }
        }
        assertThat(created).isEqualTo(1);
        assertThat(voteCastEvents(VotingApi.json(receipt).get("ballotId").asText())).isEqualTo(1);
    }

    @Test
    void a_vote_whose_client_hung_up_before_its_receipt_gets_the_receipt_when_sent_again() throws Exception {
        String electionId = api.openElection(Map.of()).get("id").asText();
        // Each vote's client hangs up a few milliseconds after sending it: while the ballot box holds the vote.
        for (int i = 0; i < 10; i++) {
            TestVoter voter = TestVoter.ed25519();
            ObjectNode vote = api.vote(electionId, api.token(electionId, voter), voter, "yes", Instant.now());
            sendAndHangUp(vote, 5);

            EntityExchangeResult<byte[]> resent = api.post(vote);
            for (int attempt = 1; resent.getStatus().value() == 409 && attempt < 50; attempt++) {
                Thread.sleep(100); // "in flight" is retryable: the client sends the vote again
                resent = api.post(vote);
            }
            assertThat(resent.getStatus().value()).as(new String(resent.getResponseBody())).isIn(200, 201);
            assertThat(voteCastEvents(VotingApi.json(resent.getResponseBody()).get("ballotId").asText())).isEqualTo(1);
        }
    }

    private void sendAndHangUp(ObjectNode vote, long afterMillis) throws Exception {
        byte[] body = vote.toString().getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/v1/elections/" + vote.get("electionId").asText() + "/votes HTTP/1.1\r\n"
                + "Host: localhost\r\nContent-Type: application/json\r\n"
                + "Idempotency-Key: \"" + vote.get("idempotencyKey").asText() + "\"\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket("localhost", port)) {
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            Thread.sleep(afterMillis);
        }
    }

    @Test
    void with_revoting_a_later_vote_is_accepted_and_an_earlier_one_refused() {
        TestVoter voter = TestVoter.ed25519();
        String electionId = api.openElection(Map.of("revoting", true)).get("id").asText();
        JsonNode token = api.token(electionId, voter);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        assertThat(api.post(api.vote(electionId, token, voter, "yes", now)).getStatus().value()).isEqualTo(201);
        assertThat(api.post(api.vote(electionId, token, voter, "no", now.plusSeconds(1))).getStatus().value()).isEqualTo(201);
        EntityExchangeResult<byte[]> earlier = api.post(api.vote(electionId, token, voter, "yes", now));

        assertThat(earlier.getStatus().value()).isEqualTo(409);
        assertThat(VotingApi.json(earlier.getResponseBody()).get("type").asText()).endsWith("/already-voted");
    }

    @Test
    void a_vote_accepted_before_the_election_closed_still_gets_its_receipt_after() {
        TestVoter voter = TestVoter.ed25519();
        String electionId = api.openElection(Map.of()).get("id").asText();
        ObjectNode vote = api.vote(electionId, api.token(electionId, voter), voter, "yes", Instant.now());
        EntityExchangeResult<byte[]> accepted = api.post(vote);
        api.admin(electionId, "close");

        EntityExchangeResult<byte[]> again = api.post(vote);

        assertThat(again.getStatus().value()).isEqualTo(200);
        assertThat(again.getResponseBody()).isEqualTo(accepted.getResponseBody());
    }

    private void assertReceiptVerifies(JsonNode receipt, JsonNode election) {
        ObjectNode unsigned = receipt.deepCopy();
        byte[] signature = Base64Url.decode(unsigned.remove("signature").asText());
        VoterPublicKey receiptKey = VoterPublicKey.parse("Ed25519",
                Base64Url.decode(election.at("/keys/receipt/spki").asText()));
        assertThat(receiptKey.verify(CanonicalJson.of(unsigned), signature)).isTrue();
        String voteHash = unsigned.get("voteHash").asText();
        String otherHash = (voteHash.charAt(0) == 'A' ? "B" : "A") + voteHash.substring(1);
        ObjectNode tampered = unsigned.deepCopy().put("voteHash", otherHash);
        assertThat(receiptKey.verify(CanonicalJson.of(tampered), signature)).isFalse();
    }

    private int voteCastEvents(String ballotId) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND payload_type LIKE '%VoteCast'", Integer.class, ballotId);
    }
}
