package voting.command.ballot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import voting.service.Problem;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;
import voting.crypto.Digests;
import voting.events.SignedVote;
import voting.events.SignedVote.BallotToken;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A vote as it arrived, checked for form only (contract: Vote): exactly the contract's fields, each of its type.
 * It knows its canonical bytes and voteHash; whether it is eligible and signed is the intake's next question.
 */
record SubmittedVote(SignedVote vote, Instant castAt, byte[] signedBytes, byte[] signature, String voteHash) {

    private static final List<String> VOTE_FIELDS =
            List.of("v", "electionId", "voteId", "choice", "castAt", "idempotencyKey", "token", "signature");
    private static final List<String> TOKEN_FIELDS = List.of("kid", "alg", "publicKey", "prefix", "signature");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern RFC3339_UTC = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");

    static SubmittedVote parse(JsonNode body, String pathElectionId, String idempotencyKeyHeader) {
        ObjectNode vote = object(body, "The vote", VOTE_FIELDS);
        ObjectNode token = object(vote.get("token"), "Field 'token'", TOKEN_FIELDS);
        JsonNode v = vote.get("v");
        if (!v.isInt() || v.intValue() != 1) {
            throw invalid("Field 'v' must be the number 1");
        }
        String electionId = text(vote, "electionId");
        if (!electionId.equals(pathElectionId)) {
            throw invalid("Field 'electionId' does not match the election in the path");
        }
        String voteId = matching(vote, "voteId", UUID, "a UUID");
        String castAt = matching(vote, "castAt", RFC3339_UTC, "an RFC 3339 UTC time ending in Z");
        String idempotencyKey = matching(vote, "idempotencyKey", UUID, "a UUID");
        if (!idempotencyKey.equals(IdempotencyKeyHeader.value(idempotencyKeyHeader))) {
            throw invalid("The Idempotency-Key header must equal the vote's idempotencyKey");
        }
        String alg = text(token, "alg");
        if (!alg.equals("Ed25519") && !alg.equals("ES256")) {
            throw invalid("Field 'token.alg' must be Ed25519 or ES256");
        }
        base64url(token, "publicKey");
        if (base64url(token, "prefix").length != 32) {
            throw invalid("Field 'token.prefix' must be 32 bytes");
        }
        base64url(token, "signature");
        byte[] signature = base64url(vote, "signature");
        Instant castAtInstant;
        try {
            castAtInstant = Instant.parse(castAt);
        } catch (RuntimeException e) {
            throw invalid("Field 'castAt' is not a valid time");
        }

        SignedVote signedVote = new SignedVote(1, electionId, voteId, text(vote, "choice"), castAt, idempotencyKey,
                new BallotToken(text(token, "kid"), alg, text(token, "publicKey"), text(token, "prefix"), text(token, "signature")),
                text(vote, "signature"));
        String voteHash = Base64Url.encode(Digests.sha256(CanonicalJson.of(vote)));
        return new SubmittedVote(signedVote, castAtInstant, CanonicalJson.without(vote, "signature"), signature, voteHash);
    }

    private static ObjectNode object(JsonNode node, String what, List<String> fields) {
        if (node == null || !node.isObject()) {
            throw invalid(what + " must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw invalid(what + " has an unknown field '" + name + "'");
            }
        }
        for (String field : fields) {
            if (!node.has(field)) {
                throw invalid(what + " lacks the field '" + field + "'");
            }
        }
        return (ObjectNode) node;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > 1024) {
            throw invalid("Field '" + field + "' must be a non-empty string");
        }
        return value.textValue();
    }

    private static String matching(JsonNode node, String field, Pattern pattern, String what) {
        String value = text(node, field);
        if (!pattern.matcher(value).matches()) {
            throw invalid("Field '" + field + "' must be " + what);
        }
        return value;
    }

    private static byte[] base64url(JsonNode node, String field) {
        try {
            return Base64Url.decode(text(node, field));
        } catch (IllegalArgumentException e) {
            throw invalid("Field '" + field + "' is not base64url without padding");
        }
    }

    private static RuntimeException invalid(String detail) {
        return Problem.INVALID_VOTE.because(detail);
    }
}
