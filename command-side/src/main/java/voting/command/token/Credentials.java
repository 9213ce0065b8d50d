package voting.command.token;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import voting.service.Problem;
import voting.crypto.Base64Url;
import voting.crypto.Digests;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Credentials of {@code credential} elections. Only their SHA-256 hashes are stored. A credential answers one
 * request: the same request again gets the same answer, a different one is refused.
 */
@Component
class Credentials {

    record Answer(String json, boolean repeated) {
    }

    private final JdbcTemplate jdbc;
    private final SecureRandom random = new SecureRandom();

    Credentials(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<String> issue(String electionId, int count) {
        List<String> issued = new ArrayList<>(count);
        List<Object[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] secret = new byte[16];
            random.nextBytes(secret);
            String credential = Base64Url.encode(secret);
            issued.add(credential);
            rows.add(new Object[]{hash(credential), electionId});
        }
        jdbc.batchUpdate("INSERT INTO election_credential (credential_hash, election_id) VALUES (?, ?)", rows);
        return issued;
    }

    /** Spends a credential on a request, or repeats the answer it already gave to the same request. */
    Answer redeem(String electionId, String credential, byte[] request, String answer) {
        byte[] credentialHash = hash(credential);
        byte[] requestHash = Digests.sha256(request);
        int spent = jdbc.update("UPDATE election_credential SET request_hash = ?, answer_json = ?, used_at = now() "
                        + "WHERE credential_hash = ? AND election_id = ? AND request_hash IS NULL",
                requestHash, answer, credentialHash, electionId);
        if (spent == 1) {
            return new Answer(answer, false);
        }
        List<Answer> previous = jdbc.query(
                "SELECT request_hash, answer_json FROM election_credential WHERE credential_hash = ? AND election_id = ?",
                (rs, i) -> new Answer(rs.getString("answer_json"), Arrays.equals(rs.getBytes("request_hash"), requestHash)),
                credentialHash, electionId);
        if (previous.isEmpty()) {
            throw Problem.INELIGIBLE.because("This credential is not valid for this election");
        }
        if (!previous.get(0).repeated()) {
            throw Problem.CREDENTIAL_USED.because("This credential was used for a different request");
        }
        return previous.get(0);
    }

    private static byte[] hash(String credential) {
        return Digests.sha256(credential.getBytes(StandardCharsets.UTF_8));
    }
}
