package voting.audit;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.BigIntegers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import voting.crypto.Base64Url;
import voting.crypto.CanonicalJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/** A voter's device key, Ed25519 or ES256 (r‖s), signing votes as the contract says. */
final class TestVoter {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final X9ECParameters P256 = ECNamedCurveTable.getByName("P-256");

    private final String alg;
    private final AsymmetricCipherKeyPair keyPair;
    private final byte[] spki;

    private TestVoter(String alg, AsymmetricCipherKeyPair keyPair) {
        this.alg = alg;
        this.keyPair = keyPair;
        try {
            this.spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic()).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TestVoter ed25519() {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(RANDOM);
        return new TestVoter("Ed25519", new AsymmetricCipherKeyPair(key.generatePublicKey(), key));
    }

    static TestVoter es256() {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(
                new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, P256), RANDOM));
        return new TestVoter("ES256", generator.generateKeyPair());
    }

    /** Every fifth voter uses ES256, as browsers without Ed25519 do. */
    static TestVoter number(int i) {
        return i % 5 == 4 ? es256() : ed25519();
    }

    String alg() {
        return alg;
    }

    String publicKey() {
        return Base64Url.encode(spki);
    }

    /** A direct token request: {alg, publicKey, prefix}. */
    ObjectNode tokenRequest() {
        byte[] prefix = new byte[32];
        RANDOM.nextBytes(prefix);
        return JSON.createObjectNode().put("alg", alg).put("publicKey", publicKey())
                .put("prefix", Base64Url.encode(prefix));
    }

    /** A signed vote: the signature covers the canonical bytes of the vote without its signature. */
    ObjectNode vote(String electionId, JsonNode token, String choice, Instant castAt) {
        ObjectNode vote = JSON.createObjectNode()
                .put("v", 1)
                .put("electionId", electionId)
                .put("voteId", UUID.randomUUID().toString())
                .put("choice", choice)
                .put("castAt", castAt.toString())
                .put("idempotencyKey", UUID.randomUUID().toString());
        vote.set("token", token);
        return vote.put("signature", Base64Url.encode(sign(CanonicalJson.of(vote))));
    }

    byte[] sign(byte[] message) {
        if (alg.equals("Ed25519")) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, keyPair.getPrivate());
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        }
        SHA256Digest digest = new SHA256Digest();
        digest.update(message, 0, message.length);
        byte[] hash = new byte[32];
        digest.doFinal(hash, 0);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, (ECPrivateKeyParameters) keyPair.getPrivate());
        var rs = signer.generateSignature(hash);
        byte[] signature = new byte[64];
        BigIntegers.asUnsignedByteArray(rs[0], signature, 0, 32);
        BigIntegers.asUnsignedByteArray(rs[1], signature, 32, 32);
        return signature;
    }
}
