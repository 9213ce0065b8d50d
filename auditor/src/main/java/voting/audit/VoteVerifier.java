package voting.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import voting.audit.Finding.Kind;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;
import voting.crypto.Digests;
import voting.crypto.VoterPublicKey;
import voting.events.VoteFormat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of one vote on its own, from the contract alone: its form, its election, its hash, its ballot token
 * (the issuer's RSA-PSS signature over the voter's key, and the ballot id that follows from it), the voter's
 * signature, its option and its time of acceptance. Thread-safe: votes are verified in parallel.
 */
final class VoteVerifier {

    static final String VOTE_CAST = "voting.events.BallotEvents$VoteCast";

    private static final Set<String> EVENT_FIELDS =
            Set.of("ballotId", "electionId", "vote", "voteHash", "acceptedAt", "receiptKid");
    private static final Set<String> LINE_FIELDS = Set.of("position", "acceptedAt", "ballotId", "voteHash", "vote");
    private static final Set<String> VOTE_FIELDS =
            Set.of("v", "electionId", "voteId", "choice", "castAt", "idempotencyKey", "token", "signature");
    private static final Set<String> TOKEN_FIELDS = Set.of("kid", "alg", "publicKey", "prefix", "signature");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int PREFIX_LENGTH = 32;

    private final Election election;

    VoteVerifier(Election election) {
        this.election = election;
    }

    /** A VoteCast event's payload: {ballotId, electionId, vote, voteHash, acceptedAt, receiptKid}. */
    void verifyEvent(VoteRecord record) {
        JsonNode payload = parse(record, Kind.MALFORMED_EVENT, "the event's payload");
        if (payload == null) {
            return;
        }
        JsonNode vote = payload.get("vote");
        record.voteId = Json.text(vote, "voteId");
        record.ballotId = same(Json.text(payload, "ballotId"), record.aggregateId);
        record.claimedVoteHash = Json.text(payload, "voteHash");
        record.acceptedAt = Json.instant(payload.get("acceptedAt"));
        String unexpected = Json.unexpectedField(payload, EVENT_FIELDS);
        String missing = Json.missingText(payload, "ballotId", "electionId", "voteHash", "acceptedAt", "receiptKid");
        if (unexpected != null) {
            record.add(Kind.MALFORMED_EVENT, "the payload has a field the VoteCast format does not: " + unexpected);
        }
        if (missing != null) {
            record.add(Kind.MALFORMED_EVENT, "the payload has no text field " + missing);
        } else if (record.acceptedAt == null) {
            record.add(Kind.MALFORMED_EVENT, "acceptedAt is not an RFC 3339 UTC time: " + payload.get("acceptedAt"));
        }
        String electionId = Json.text(payload, "electionId");
        if (electionId != null && !electionId.equals(election.id)) {
            record.add(Kind.WRONG_ELECTION, "the event names election " + electionId + ", not " + election.id);
        }
        if (record.ballotId != null && !record.ballotId.equals(record.aggregateId)) {
            record.add(Kind.BALLOT_MISMATCH, "stored under ballot " + record.aggregateId
                    + " but its payload names ballot " + record.ballotId);
        }
        String receiptKid = Json.text(payload, "receiptKid");
        if (receiptKid != null && !receiptKid.equals(election.receiptKid)) {
            record.add(Kind.WRONG_RECEIPT_KEY, "its receipt was signed with key " + receiptKid
                    + ", not the election's receipt key " + election.receiptKid);
        }
        verifyVote(record, vote);
    }

    /** A bulletin board line: {position, acceptedAt, ballotId, voteHash, vote}. */
    void verifyLine(VoteRecord record) {
        JsonNode line = parse(record, Kind.BOARD_MISMATCH, "the board line");
        if (line == null) {
            return;
        }
        JsonNode vote = line.get("vote");
        record.voteId = Json.text(vote, "voteId");
        record.ballotId = Json.text(line, "ballotId");
        record.claimedVoteHash = Json.text(line, "voteHash");
        record.acceptedAt = Json.instant(line.get("acceptedAt"));
        JsonNode position = line.get("position");
        if (position != null && position.canConvertToExactIntegral() && position.isIntegralNumber()) {
            record.position = position.asLong();
        }
        String unexpected = Json.unexpectedField(line, LINE_FIELDS);
        String missing = Json.missingText(line, "ballotId", "voteHash", "acceptedAt");
        if (unexpected != null) {
            record.add(Kind.BOARD_MISMATCH, "the line has a field the board format does not: " + unexpected);
        }
        if (record.position < 0) {
            record.add(Kind.BOARD_MISMATCH, "the line has no position");
        }
        if (missing != null) {
            record.add(Kind.BOARD_MISMATCH, "the line has no text field " + missing);
        } else if (record.acceptedAt == null) {
            record.add(Kind.BOARD_MISMATCH, "acceptedAt is not an RFC 3339 UTC time: " + line.get("acceptedAt"));
        }
        verifyVote(record, vote);
        if (record.acceptedAt == null || record.ballotId == null) {
            record.valid = false;
        }
    }

    private static JsonNode parse(VoteRecord record, Kind kind, String what) {
        byte[] raw = record.raw;
        record.raw = null;
        try {
            JsonNode json = Json.parse(raw);
            if (json.isObject()) {
                record.parsed = true;
                return json;
            }
            record.add(kind, what + " is not a JSON object");
        } catch (IOException e) {
            record.add(kind, what + " is not JSON: " + firstLine(e.getMessage()));
        }
        return null;
    }

    private void verifyVote(VoteRecord record, JsonNode vote) {
        try {
            checkVote(record, vote);
        } finally {
            record.valid = record.parsed && record.problems.stream().noneMatch(p -> p.kind().invalidatesVote());
        }
    }

    private void checkVote(VoteRecord record, JsonNode vote) {
        if (vote == null || !vote.isObject()) {
            record.add(Kind.MALFORMED_VOTE, "there is no signed vote");
            return;
        }
        String form = formProblem(vote);
        if (form != null) {
            record.add(Kind.MALFORMED_VOTE, form);
            return;
        }
        record.choice = election.option(vote.get("choice").asText());
        record.idempotencyKey = vote.get("idempotencyKey").asText();
        record.castAt = Json.instant(vote.get("castAt"));
        if (!election.id.equals(vote.get("electionId").asText())) {
            record.add(Kind.WRONG_ELECTION, "the vote is for election " + vote.get("electionId").asText()
                    + ", not " + election.id);
        }

        byte[] canonical;
        try {
            canonical = CanonicalJson.of(vote);
        } catch (IllegalArgumentException e) {
            record.add(Kind.MALFORMED_VOTE, "the vote has no canonical form: " + e.getMessage());
            return;
        }
        record.computedVoteHash = same(Base64Url.encode(Digests.sha256(canonical)), record.claimedVoteHash);
        if (record.claimedVoteHash != null && !record.claimedVoteHash.equals(record.computedVoteHash)) {
            record.add(Kind.VOTE_HASH_MISMATCH, "voteHash is " + record.claimedVoteHash
                    + " but the SHA-256 of the vote's canonical bytes is " + record.computedVoteHash);
        }

        JsonNode token = vote.get("token");
        String alg = token.get("alg").asText();
        String publicKey = token.get("publicKey").asText();
        byte[] tokenMessage = VoteFormat.tokenMessage(alg, election.id, publicKey);
        record.derivedBallotId = same(VoteFormat.ballotId(tokenMessage), record.ballotKey());
        checkToken(record, token, tokenMessage);
        String ballot = record.ballotKey();
        if (ballot != null && !ballot.equals(record.derivedBallotId)) {
            record.add(Kind.BALLOT_MISMATCH, "the token's ballot is " + record.derivedBallotId + ", not " + ballot);
        }
        checkSignature(record, (ObjectNode) vote, alg, publicKey);

        if (!election.hasOption(record.choice)) {
            record.add(Kind.UNKNOWN_OPTION, "the vote chooses '" + record.choice + "', which is not an option of "
                    + election.id + " " + election.options);
        }
        if (record.acceptedAt != null) {
            String outside = election.outsideWindow(record.acceptedAt);
            if (outside != null) {
                record.add(Kind.OUTSIDE_WINDOW, outside);
            }
        }
    }

    /** Exactly the contract's fields and types, or what is wrong. */
    private static String formProblem(JsonNode vote) {
        String unexpected = Json.unexpectedField(vote, VOTE_FIELDS);
        if (unexpected != null) {
            return "the vote has a field the contract does not: " + unexpected;
        }
        String missing = Json.missingText(vote, "electionId", "voteId", "choice", "castAt", "idempotencyKey",
                "signature");
        if (missing != null) {
            return "the vote has no text field " + missing;
        }
        JsonNode v = vote.get("v");
        if (v == null || !v.isInt() || v.intValue() != 1) {
            return "v is " + v + ", not 1";
        }
        if (!UUID.matcher(vote.get("voteId").asText()).matches()
                || !UUID.matcher(vote.get("idempotencyKey").asText()).matches()) {
            return "voteId and idempotencyKey must be UUIDs";
        }
        if (Json.instant(vote.get("castAt")) == null) {
            return "castAt is not an RFC 3339 UTC time: " + vote.get("castAt");
        }
        JsonNode token = vote.get("token");
        if (token == null || !token.isObject()) {
            return "the vote has no token object";
        }
        unexpected = Json.unexpectedField(token, TOKEN_FIELDS);
        if (unexpected != null) {
            return "the token has a field the contract does not: " + unexpected;
        }
        missing = Json.missingText(token, "kid", "alg", "publicKey", "prefix", "signature");
        if (missing != null) {
            return "the token has no text field " + missing;
        }
        return null;
    }

    /** The issuer's signature over prefix ‖ tokenMessage, with the election's published issuer key. */
    private void checkToken(VoteRecord record, JsonNode token, byte[] tokenMessage) {
        String kid = token.get("kid").asText();
        if (!kid.equals(election.issuerKid)) {
            record.add(Kind.INVALID_TOKEN, "the token names issuer key " + kid + ", not the election's "
                    + election.issuerKid);
            return;
        }
        String alg = token.get("alg").asText();
        if (!alg.equals(VoterPublicKey.ED25519) && !alg.equals(VoterPublicKey.ES256)) {
            record.add(Kind.INVALID_TOKEN, "the token's voter key algorithm " + alg + " is neither Ed25519 nor ES256");
            return;
        }
        if (election.issuerKey == null) {
            record.add(Kind.INVALID_TOKEN, "the election's issuer key is unusable, so no token can be verified");
            return;
        }
        byte[] prefix;
        byte[] signature;
        try {
            prefix = Base64Url.decode(token.get("prefix").asText());
            signature = Base64Url.decode(token.get("signature").asText());
        } catch (IllegalArgumentException e) {
            record.add(Kind.INVALID_TOKEN, "the token's prefix or signature is not base64url: " + e.getMessage());
            return;
        }
        if (prefix.length != PREFIX_LENGTH) {
            record.add(Kind.INVALID_TOKEN, "the token's prefix is " + prefix.length + " bytes, not 32");
            return;
        }
        if (!election.issuerKey.verify(VoteFormat.signedTokenBytes(prefix, tokenMessage), signature)) {
            record.add(Kind.INVALID_TOKEN, "the issuer's signature over the token does not verify with the "
                    + "election's issuer key " + election.issuerKid);
        }
    }

    /** The voter's signature over the canonical bytes of the vote without its signature, with the token's key. */
    private static void checkSignature(VoteRecord record, ObjectNode vote, String alg, String publicKey) {
        VoterPublicKey key;
        byte[] signature;
        try {
            key = VoterPublicKey.parse(alg, Base64Url.decode(publicKey));
            signature = Base64Url.decode(vote.get("signature").asText());
        } catch (IllegalArgumentException e) {
            record.add(Kind.INVALID_SIGNATURE, "the voter key or signature is unusable: " + e.getMessage());
            return;
        }
        byte[] message;
        try {
            message = CanonicalJson.without(vote, "signature");
        } catch (IllegalArgumentException e) {
            record.add(Kind.MALFORMED_VOTE, "the vote has no canonical form: " + e.getMessage());
            return;
        }
        if (!key.verify(message, signature)) {
            record.add(Kind.INVALID_SIGNATURE, "the voter's " + alg + " signature does not verify over the vote");
        }
    }

    /**
     * {@code value}, or the equal string {@code kept} already holds: every vote is kept until the end of the audit,
     * and one copy of its ballot id and hash instead of three makes a large audit lighter on memory and collector.
     */
    private static String same(String value, String kept) {
        return value != null && value.equals(kept) ? kept : value;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
