package voting.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;
import voting.crypto.Digests;
import voting.crypto.IssuerKey;
import voting.crypto.IssuerPublicKey;
import voting.crypto.ReceiptKey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes an election straight into the tables the services keep, in their exact format: the command side's events
 * in Axon's {@code domain_event_entry} (JSON payloads as the services' Jackson writes them, compact, fields in
 * record order), its {@code vote_receipt} rows, and the query side's board, tally and tally counts as its
 * projections would. Tokens are real (RSA-PSS by a generated issuer key), votes are really signed.
 * <p>
 * For the audit speed benchmark (thousands of votes in seconds, no services needed) and for events that vote
 * intake would never accept (outside the window, forged tokens...). Not for a database a query side is projecting.
 */
final class ElectionGenerator {

    static final List<String> OPTIONS = List.of("yes", "no", "maybe");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter AXON_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    /** One row of domain_event_entry, before it is written. */
    record Event(String type, String aggregateId, long sequenceNumber, String payloadType, ObjectNode payload,
                 Instant timestamp) {
    }

    /** A voter's ballot: their key and the token the issuer signed for it. */
    record Ballot(TestVoter voter, ObjectNode token, String ballotId) {
    }

    final String electionId;
    final boolean revoting;
    final IssuerKey issuer;
    final ReceiptKey receipt;
    final List<Event> events = new ArrayList<>();
    private final Map<String, Long> sequences = new HashMap<>();

    ElectionGenerator(String electionId, boolean revoting, IssuerKey issuer, Instant createdAt) {
        this.electionId = electionId;
        this.revoting = revoting;
        this.issuer = issuer;
        this.receipt = ReceiptKey.generate();
        ObjectNode created = NODES.objectNode().put("electionId", electionId).put("title", "Generated " + electionId)
                .put("description", "Which one?");
        OPTIONS.forEach(option -> created.withArray("options").addObject().put("id", option)
                .put("label", option.toUpperCase()));
        created.putNull("opensAt");
        created.putNull("closesAt");
        created.put("eligibility", "open").put("liveResults", true).put("revoting", revoting);
        created.putObject("issuerKey").put("kid", issuer.kid()).put("alg", IssuerPublicKey.ALG)
                .put("spki", Base64Url.encode(issuer.publicKeySpki()));
        created.putObject("receiptKey").put("kid", receipt.kid()).put("alg", ReceiptKey.ALG)
                .put("spki", Base64Url.encode(receipt.publicKeySpki()));
        append("Election", electionId, EventStoreAudit.ELECTION_CREATED, created, createdAt);
    }

    void open(Instant at) {
        append("Election", electionId, EventStoreAudit.ELECTION_OPENED,
                NODES.objectNode().put("electionId", electionId).put("openedAt", at.toString()), at);
    }

    void close(Instant at) {
        append("Election", electionId, EventStoreAudit.ELECTION_CLOSED,
                NODES.objectNode().put("electionId", electionId).put("closedAt", at.toString()), at);
    }

    /** A ballot token signed directly by {@code signer} (the election's issuer unless a test forges one). */
    Ballot ballot(TestVoter voter, IssuerKey signer) {
        byte[] prefix = new byte[32];
        RANDOM.nextBytes(prefix);
        byte[] tokenMessage = CanonicalJson.of(NODES.objectNode().put("alg", voter.alg())
                .put("electionId", electionId).put("publicKey", voter.publicKey()));
        byte[] signed = new byte[prefix.length + tokenMessage.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(tokenMessage, 0, signed, prefix.length, tokenMessage.length);
        ObjectNode token = NODES.objectNode().put("kid", issuer.kid()).put("alg", voter.alg())
                .put("publicKey", voter.publicKey()).put("prefix", Base64Url.encode(prefix))
                .put("signature", Base64Url.encode(signer.sign(signed)));
        return new Ballot(voter, token, Base64Url.encode(Digests.sha256(tokenMessage)));
    }

    Ballot ballot(TestVoter voter) {
        return ballot(voter, issuer);
    }

    /** A VoteCast payload for a signed vote, in the services' field order. */
    ObjectNode voteCast(Ballot ballot, String choice, Instant castAt, Instant acceptedAt) {
        ObjectNode vote = ballot.voter().vote(electionId, ballot.token(), choice, castAt);
        String voteHash = Base64Url.encode(Digests.sha256(CanonicalJson.of(vote)));
        ObjectNode payload = NODES.objectNode().put("ballotId", ballot.ballotId()).put("electionId", electionId);
        payload.set("vote", vote);
        return payload.put("voteHash", voteHash).put("acceptedAt", acceptedAt.truncatedTo(ChronoUnit.MILLIS)
                .toString()).put("receiptKid", receipt.kid());
    }

    /** Appends a VoteCast event to its ballot (the next sequence number of {@code aggregateId}). */
    void cast(String aggregateId, ObjectNode voteCast) {
        append("Ballot", aggregateId, VoteVerifier.VOTE_CAST, voteCast,
                Instant.parse(voteCast.get("acceptedAt").asText()));
    }

    void cast(Ballot ballot, String choice, Instant castAt, Instant acceptedAt) {
        cast(ballot.ballotId(), voteCast(ballot, choice, castAt, acceptedAt));
    }

    private void append(String type, String aggregateId, String payloadType, ObjectNode payload, Instant at) {
        long sequence = sequences.merge(aggregateId, 0L, (last, zero) -> last + 1);
        events.add(new Event(type, aggregateId, sequence, payloadType, payload, at));
    }

    /**
     * Writes the events, the receipts, and (with {@code readModels}) the board, tally and counts that the query side
     * would have made of them: board lines in event order, each ballot counting its newest event.
     */
    void write(Connection db, boolean readModels) throws SQLException {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try (PreparedStatement event = db.prepareStatement("INSERT INTO domain_event_entry (aggregate_identifier, "
                + "sequence_number, type, event_identifier, meta_data, payload, payload_revision, payload_type, "
                + "time_stamp) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)");
             PreparedStatement receipt = db.prepareStatement("INSERT INTO vote_receipt (idempotency_key, election_id, "
                     + "ballot_id, vote_id, vote_hash, accepted_at, receipt_kid) VALUES (?, ?, ?, ?, ?, ?, ?)");
             // A line names its event by global index: its events are inserted first (each batch, below).
             PreparedStatement board = db.prepareStatement("INSERT INTO board_entry (election_id, position, event_index) "
                     + "SELECT ?, ?, global_index FROM domain_event_entry WHERE aggregate_identifier = ? "
                     + "AND sequence_number = ?")) {
            long position = 0;
            Map<String, String> counted = new LinkedHashMap<>();
            Instant asOf = null;
            int pending = 0;
            for (Event e : events) {
                String trace = UUID.randomUUID().toString();
                event.setString(1, e.aggregateId());
                event.setLong(2, e.sequenceNumber());
                event.setString(3, e.type());
                event.setString(4, UUID.randomUUID().toString());
                event.setBytes(5, ("{\"traceId\":\"" + trace + "\",\"correlationId\":\"" + trace + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
                event.setBytes(6, JSON.writeValueAsBytes(e.payload()));
                event.setString(7, e.payloadType());
                event.setString(8, AXON_TIME.format(e.timestamp()));
                event.addBatch();
                if (asOf == null) {
                    asOf = e.timestamp();
                }
                if (e.payloadType().equals(VoteVerifier.VOTE_CAST)) {
                    ObjectNode vote = (ObjectNode) e.payload().get("vote");
                    Timestamp acceptedAt = Timestamp.from(Instant.parse(e.payload().get("acceptedAt").asText()));
                    receipt.setString(1, vote.get("idempotencyKey").asText());
                    receipt.setString(2, electionId);
                    receipt.setString(3, e.aggregateId());
                    receipt.setString(4, vote.get("voteId").asText());
                    receipt.setString(5, e.payload().get("voteHash").asText());
                    receipt.setTimestamp(6, acceptedAt);
                    receipt.setString(7, receiptKid(e));
                    receipt.addBatch();
                    if (readModels) {
                        board.setString(1, electionId);
                        board.setLong(2, ++position);
                        board.setString(3, e.aggregateId());
                        board.setLong(4, e.sequenceNumber());
                        board.addBatch();
                        counted.put(e.aggregateId(), vote.get("choice").asText());
                        asOf = e.timestamp().isAfter(asOf) ? e.timestamp() : asOf;
                    }
                }
                if (++pending == 1000) {
                    event.executeBatch();
                    receipt.executeBatch();
                    board.executeBatch();
                    pending = 0;
                }
            }
            event.executeBatch();
            receipt.executeBatch();
            board.executeBatch();
            if (readModels) {
                writeTally(db, position, asOf, counted);
            }
            db.commit();
        } catch (SQLException | RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            db.rollback();
            throw e instanceof SQLException sql ? sql : new SQLException(e);
        } finally {
            db.setAutoCommit(autoCommit);
        }
        events.clear();
    }

    private String receiptKid(Event e) {
        return e.payload().get("receiptKid").asText();
    }

    private void writeTally(Connection db, long position, Instant asOf, Map<String, String> counted)
            throws SQLException {
        try (PreparedStatement tally = db.prepareStatement("INSERT INTO tally (election_id, position, as_of) "
                + "VALUES (?, ?, ?)");
             PreparedStatement count = db.prepareStatement("INSERT INTO tally_count (election_id, option_id, ordinal, "
                     + "count) VALUES (?, ?, ?, ?)")) {
            tally.setString(1, electionId);
            tally.setLong(2, position);
            tally.setTimestamp(3, Timestamp.from(asOf));
            tally.executeUpdate();
            for (int i = 0; i < OPTIONS.size(); i++) {
                String option = OPTIONS.get(i);
                count.setString(1, electionId);
                count.setString(2, option);
                count.setInt(3, i);
                count.setLong(4, counted.values().stream().filter(option::equals).count());
                count.addBatch();
            }
            count.executeBatch();
        }
    }

    /**
     * An election of {@code votes} votes on fresh ballots (every tenth ballot votes again, with revoting), every
     * fifth voter with an ES256 key and the others Ed25519.
     */
    static ElectionGenerator withVotes(String electionId, boolean revoting, IssuerKey issuer, int votes,
                                       Instant openedAt) {
        return withVotes(electionId, revoting, issuer, votes, openedAt, TestVoter::number);
    }

    static ElectionGenerator withVotes(String electionId, boolean revoting, IssuerKey issuer, int votes,
                                       Instant openedAt, java.util.function.IntFunction<TestVoter> voters) {
        ElectionGenerator election = new ElectionGenerator(electionId, revoting, issuer, openedAt.minusSeconds(60));
        election.open(openedAt);
        int revotes = revoting ? votes / 10 : 0;
        int ballots = votes - revotes;
        List<ObjectNode> casts = java.util.stream.IntStream.range(0, ballots).parallel().mapToObj(i -> {
            Ballot ballot = election.ballot(voters.apply(i));
            Instant at = openedAt.plusMillis(10L * i + 1);
            List<ObjectNode> ballotCasts = new ArrayList<>();
            ballotCasts.add(election.voteCast(ballot, OPTIONS.get(i % 3), at, at));
            if (i < revotes) {
                Instant later = openedAt.plusMillis(10L * ballots + 10L * i + 1);
                ballotCasts.add(election.voteCast(ballot, OPTIONS.get((i + 1) % 3), later, later));
            }
            return ballotCasts;
        }).toList().stream().flatMap(List::stream).toList();
        // Events in acceptance order, as the command side would append them.
        casts.stream().sorted(java.util.Comparator.comparing(c -> Instant.parse(c.get("acceptedAt").asText())))
                .forEach(c -> election.cast(c.get("ballotId").asText(), c));
        return election;
    }
}
