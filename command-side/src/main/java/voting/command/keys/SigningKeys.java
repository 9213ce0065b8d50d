package voting.command.keys;

import org.springframework.beans.factory.annotation.Value;
import voting.service.LocalSecret;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import voting.crypto.Base64Url;
import voting.crypto.IssuerKey;
import voting.crypto.ReceiptKey;
import voting.crypto.SealedBox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command side's private keys: each election's issuer key and the receipt key. They live sealed
 * (AES-256-GCM under the master key) in their own table, never in an event.
 */
@Component
public class SigningKeys {

    private final JdbcTemplate jdbc;
    private final SealedBox sealedBox;
    private final Map<String, IssuerKey> issuerKeysByKid = new ConcurrentHashMap<>();
    private final Map<String, ReceiptKey> receiptKeysByKid = new ConcurrentHashMap<>();

    SigningKeys(JdbcTemplate jdbc,
                @Value("${voting.master-key:}") String configuredMasterKey,
                @Value("${voting.data-dir:var}") Path dataDir) {
        this.jdbc = jdbc;
        String masterKey = LocalSecret.configuredOrFile(configuredMasterKey, dataDir.resolve("master.key"), () -> {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return Base64Url.encode(key);
        });
        this.sealedBox = new SealedBox(Base64Url.decode(masterKey));
    }

    public IssuerKey createIssuerKey(String electionId) {
        IssuerKey key = IssuerKey.generate();
        store(key.kid(), "issuer", electionId, "RSABSSA-SHA384-PSS-Randomized", key.publicKeySpki(), key.privateKeyPkcs8());
        issuerKeysByKid.put(key.kid(), key);
        return key;
    }

    /** Removes a key whose election was never created, so that nothing signs with it. */
    public void forgetIssuerKey(String kid) {
        issuerKeysByKid.remove(kid);
        jdbc.update("DELETE FROM signing_key WHERE purpose = 'issuer' AND kid = ?", kid);
    }

    /** An issuer key by the kid its election publishes. */
    public IssuerKey issuerKey(String kid) {
        return issuerKeysByKid.computeIfAbsent(kid, k -> {
            Map<String, Object> row = jdbc.queryForMap(
                    "SELECT kid, sealed_private FROM signing_key WHERE purpose = 'issuer' AND kid = ?", k);
            return IssuerKey.fromPkcs8(open(row));
        });
    }

    /** The receipt key that new elections publish: the newest one, created on first use. */
    public synchronized ReceiptKey currentReceiptKey() {
        var kids = jdbc.queryForList(
                "SELECT kid FROM signing_key WHERE purpose = 'receipt' ORDER BY created_at DESC LIMIT 1", String.class);
        if (!kids.isEmpty()) {
            return receiptKey(kids.get(0));
        }
        ReceiptKey key = ReceiptKey.generate();
        store(key.kid(), "receipt", null, "Ed25519", key.publicKeySpki(), key.privateKeyPkcs8());
        receiptKeysByKid.put(key.kid(), key);
        return key;
    }

    public ReceiptKey receiptKey(String kid) {
        return receiptKeysByKid.computeIfAbsent(kid, k -> {
            Map<String, Object> row = jdbc.queryForMap(
                    "SELECT kid, sealed_private FROM signing_key WHERE purpose = 'receipt' AND kid = ?", k);
            return ReceiptKey.fromPkcs8(open(row));
        });
    }

    private void store(String kid, String purpose, String electionId, String algorithm, byte[] spki, byte[] pkcs8) {
        jdbc.update("INSERT INTO signing_key (kid, purpose, election_id, algorithm, public_spki, sealed_private) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                kid, purpose, electionId, algorithm, spki, sealedBox.seal(pkcs8, kid.getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] open(Map<String, Object> row) {
        String kid = (String) row.get("kid");
        return sealedBox.open((byte[]) row.get("sealed_private"), kid.getBytes(StandardCharsets.UTF_8));
    }
}
