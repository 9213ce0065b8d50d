package voting.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;
import voting.events.ElectionDetail;
import voting.events.ElectionOption;
import voting.events.Eligibility;
import voting.events.PublishedKey;
import voting.events.Receipt;
import voting.events.VoteFormat;

/**
 * The server-made half of the client interop vectors: {@code vectors/java-receipts.json}, which the web client's
 * vitest ({@code client-web/test/javaVectors.test.js}) verifies with the functions the app itself uses.
 *
 * <p>It holds an election as the election endpoint publishes it (issuer and receipt keys), ballot tokens issued with
 * {@link IssuerKey#sign} (direct issuance), votes signed by deterministic voter keys of both algorithms, their
 * tokenMessage, ballotId, canonical bytes and voteHash, the signed receipts the command side sends back, and
 * canonical JSON (RFC 8785) cases.
 *
 * <p>Everything is derived from fixed seeds, except what is random by design: the issuer's RSA key and the
 * RSA-PSS salts of the token signatures. Those two are read back from the committed file and verified; every other
 * byte is made again here and must equal the committed file. So this test fails when the Java code would now make
 * anything the committed file does not hold. To write a fresh file (new issuer key, new token signatures) after a
 * deliberate format change, run from the repository root:
 * <pre>mvn -B -ntp test -pl shared-events -Dtest=JavaReceiptVectorsTest -Dvectors.regenerate=true</pre>
 * then run the client's tests ({@code cd client-web && npm test}) and commit the file.
 */
class JavaReceiptVectorsTest {

    static final String FILE = "java-receipts.json";
    private static final Path SOURCE = Path.of("src/test/resources/vectors", FILE);
    private static final boolean REGENERATE = Boolean.getBoolean("vectors.regenerate");
    private static final String REGENERATE_HINT = "if the change is deliberate, regenerate the file: "
            + "mvn -B -ntp test -pl shared-events -Dtest=JavaReceiptVectorsTest -Dvectors.regenerate=true";

    private static final String ELECTION_ID = "java-vectors";
    /** The moment the election detail is rendered at (its status is decided at a moment). */
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    /** The way the services write JSON (Spring Boot's defaults: java.time as ISO-8601 text). */
    private static final ObjectMapper SERVICE_JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One vote of the file. {@code ballot} names the voter key, so a revote reuses its ballot's key and token. */
    private record VoteSpec(String name, String ballot, String alg, String choice, String castAt, String acceptedAt) {
    }

    private static final List<VoteSpec> VOTES = List.of(
            new VoteSpec("Ed25519 vote", "voter-1", VoterPublicKey.ED25519, "yes",
                    "2026-03-01T09:00:00.123Z", "2026-03-01T09:00:00.456789Z"),
            new VoteSpec("ES256 vote", "voter-2", VoterPublicKey.ES256, "no",
                    "2026-03-01T09:01:00.000Z", "2026-03-01T09:01:02Z"),
            new VoteSpec("Ed25519 vote, no milliseconds in castAt", "voter-3", VoterPublicKey.ED25519, "abstain",
                    "2026-03-01T09:02:00Z", "2026-03-01T09:02:00.1Z"),
            new VoteSpec("ES256 vote, second voter", "voter-4", VoterPublicKey.ES256, "yes",
                    "2026-03-01T09:03:00.999Z", "2026-03-01T09:03:01.000000001Z"),
            new VoteSpec("Ed25519 revote on the first ballot (revoting: a later castAt, the same token)", "voter-1",
                    VoterPublicKey.ED25519, "no", "2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.5Z"));

    /** JSON texts whose canonical form both sides must agree on; null = both must refuse it. */
    private static final List<String[]> CANONICAL_CASES = List.of(
            new String[] {"members sorted by UTF-16 code units, not code points",
                    "{\"\\ufb01\":1,\"\\ud83d\\ude00\":2,\"z\":3,\"Z\":4,\"\\u00e9\":5,\"a\":{\"b\":[],\"a\":{}}}"},
            new String[] {"string escapes: control characters, quote, backslash, solidus, U+2028, U+007F",
                    "{\"s\":\"\\u0000\\u0001\\b\\t\\n\\f\\r\\u001f \\\" \\\\ \\/ \\u2028 \\u007f </script>\"}"},
            new String[] {"non-ASCII text stays literal UTF-8",
                    "{\"label\":\"Ja, \\u00e9lection \\u20ac \\u4e2d \\ud83d\\uddf3\",\"title\":\"Wahl \\u00fc\"}"},
            new String[] {"integers, as the contract signs them",
                    "{\"v\":1,\"zero\":0,\"negativeZero\":-0,\"big\":9007199254740991,\"negative\":-42}"},
            new String[] {"numbers in ECMAScript form",
                    "[1.0,1e21,1e-7,123.456,0.000001,1E3,-1.5e300,5e-324]"},
            new String[] {"literals, nesting and whitespace",
                    " { \"t\" : true , \"f\" : false , \"n\" : null , \"list\" : [ 1 , [ \"x\" ] , { } ] } "},
            new String[] {"a receipt without its signature",
                    "{\"voteId\":\"0b6f\",\"kid\":\"k\",\"electionId\":\"e\",\"acceptedAt\":\"2026-03-01T09:00:00Z\","
                            + "\"voteHash\":\"h\",\"ballotId\":\"b\"}"},
            new String[] {"a lone high surrogate is refused (RFC 8785 3.2.2.2)", "{\"s\":\"\\ud800\"}", null},
            new String[] {"a lone low surrogate in a name is refused", "{\"\\udc00\":1}", null});

    @Test
    void committedFileIsWhatTheJavaCodeMakes() throws IOException {
        if (REGENERATE) {
            ObjectNode fresh = build(null);
            Files.writeString(SOURCE, pretty(fresh), UTF_8);
            System.out.println("wrote " + SOURCE.toAbsolutePath());
            return;
        }
        ObjectNode committed = (ObjectNode) committedFile();
        ObjectNode rebuilt = build(committed);
        if (!rebuilt.equals(committed)) {
            fail(FILE + " is not what the Java code makes now; " + REGENERATE_HINT + "\nexpected:\n" + pretty(rebuilt));
        }
    }

    /** What the client relies on, checked once more with the server's own verifiers, and that they catch a change. */
    @Test
    void everyReceiptAndTokenVerifiesWithTheServersKeys() throws IOException {
        JsonNode file = committedFile();
        JsonNode keys = file.at("/election/keys");
        VoterPublicKey receiptKey = VoterPublicKey.parse(ReceiptKey.ALG, Base64Url.decode(keys.at("/receipt/spki").asText()));
        IssuerPublicKey issuer = IssuerPublicKey.parse(Base64Url.decode(keys.at("/issuer/spki").asText()));
        assertThat(issuer.kid()).isEqualTo(keys.at("/issuer/kid").asText());
        assertThat(Kid.of(Base64Url.decode(keys.at("/receipt/spki").asText()))).isEqualTo(keys.at("/receipt/kid").asText());
        assertThat(file.get("votes")).hasSize(VOTES.size());
        for (JsonNode entry : file.get("votes")) {
            ObjectNode receipt = (ObjectNode) entry.get("receipt");
            byte[] signature = Base64Url.decode(receipt.get("signature").asText());
            byte[] signed = CanonicalJson.of(receipt.deepCopy().without("signature"));
            assertThat(receiptKey.verify(signed, signature)).isTrue();
            ObjectNode changed = receipt.deepCopy().put("voteHash", entry.at("/vote/signature").asText());
            assertThat(receiptKey.verify(CanonicalJson.of(changed.without("signature")), signature)).isFalse();

            JsonNode token = entry.at("/vote/token");
            byte[] tokenMessage = VoteFormat.tokenMessage(token.get("alg").asText(), ELECTION_ID,
                    token.get("publicKey").asText());
            byte[] tokenSignature = Base64Url.decode(token.get("signature").asText());
            byte[] prefix = Base64Url.decode(token.get("prefix").asText());
            assertThat(issuer.verify(VoteFormat.signedTokenBytes(prefix, tokenMessage), tokenSignature)).isTrue();
            byte[] otherElection = VoteFormat.tokenMessage(token.get("alg").asText(), ELECTION_ID + "-other",
                    token.get("publicKey").asText());
            assertThat(issuer.verify(VoteFormat.signedTokenBytes(prefix, otherElection), tokenSignature)).isFalse();
        }
    }

    @Test
    void canonicalCasesRefusedHereAreRefused() {
        for (String[] c : CANONICAL_CASES) {
            if (c.length == 3) {
                assertThatIllegalArgumentException().as(c[0]).isThrownBy(() -> CanonicalJson.of(JSON.readTree(c[1])));
            }
        }
    }

    /** The file in the source tree (where regenerating writes it), or its copy on the class path. */
    private static JsonNode committedFile() throws IOException {
        return Files.exists(SOURCE) ? JSON.readTree(Files.readString(SOURCE, UTF_8)) : Vectors.json(FILE);
    }

    /**
     * The whole file. With {@code committed}, the issuer key and the token signatures are taken from it (they are
     * random by design) after checking that they verify; without, they are made afresh.
     */
    private static ObjectNode build(ObjectNode committed) throws IOException {
        PublishedKey issuer;
        IssuerKey issuerKey = null;
        if (committed == null) {
            issuerKey = IssuerKey.generate();
            issuer = new PublishedKey(issuerKey.kid(), IssuerPublicKey.ALG, Base64Url.encode(issuerKey.publicKeySpki()));
        } else {
            JsonNode published = committed.at("/election/keys/issuer");
            byte[] spki = Base64Url.decode(published.get("spki").asText());
            issuer = new PublishedKey(IssuerPublicKey.parse(spki).kid(), IssuerPublicKey.ALG, Base64Url.encode(spki));
        }
        ReceiptKey receiptKey = ReceiptKey.fromPkcs8(Pkcs8.encode(new Ed25519PrivateKeyParameters(seed("receipt key"), 0)));
        PublishedKey receipt = new PublishedKey(receiptKey.kid(), ReceiptKey.ALG, Base64Url.encode(receiptKey.publicKeySpki()));

        ElectionDetail election = new ElectionDetail(ELECTION_ID, "Java vectors", "Made by JavaReceiptVectorsTest",
                List.of(new ElectionOption("yes", "Yes"), new ElectionOption("no", "No"),
                        new ElectionOption("abstain", "Abstain")),
                "open", Instant.parse("2026-03-01T08:00:00Z"), null, Eligibility.open, true, true, issuer, receipt);

        ObjectNode file = JSON.createObjectNode();
        file.put("description", "Made by the Java code (shared-events JavaReceiptVectorsTest) for the web client to "
                + "verify (client-web/test/javaVectors.test.js): an election as published, with its issuer and receipt "
                + "keys; ballot tokens issued by IssuerKey.sign; votes signed by fixed-seed voter keys; tokenMessage, "
                + "ballotId, canonical bytes and voteHash; the signed receipts; RFC 8785 cases. Binary values b64u.");
        file.put("regenerate", REGENERATE_HINT.substring(REGENERATE_HINT.indexOf("mvn")));
        file.set("election", JSON.readTree(SERVICE_JSON.writeValueAsString(election.detailJson(NOW))));

        ArrayNode votes = file.putArray("votes");
        for (int i = 0; i < VOTES.size(); i++) {
            VoteSpec spec = VOTES.get(i);
            VoterKey voter = VoterKey.of(spec.alg(), seed(spec.ballot()));
            String publicKey = Base64Url.encode(voter.spki());
            byte[] tokenMessage = VoteFormat.tokenMessage(spec.alg(), ELECTION_ID, publicKey);
            byte[] prefix = seed(spec.ballot() + " prefix");
            byte[] signedTokenBytes = VoteFormat.signedTokenBytes(prefix, tokenMessage);
            byte[] tokenSignature;
            if (committed == null) {
                tokenSignature = issuerKey.sign(signedTokenBytes);
            } else {
                tokenSignature = Base64Url.decode(committed.at("/votes/" + i + "/vote/token/signature").asText(""));
                if (!IssuerPublicKey.parse(Base64Url.decode(issuer.spki())).verify(signedTokenBytes, tokenSignature)) {
                    fail("the committed token signature of vote " + i + " does not verify; " + REGENERATE_HINT);
                }
            }
            ObjectNode token = JSON.createObjectNode()
                    .put("kid", issuer.kid())
                    .put("alg", spec.alg())
                    .put("publicKey", publicKey)
                    .put("prefix", Base64Url.encode(prefix))
                    .put("signature", Base64Url.encode(tokenSignature));

            ObjectNode vote = JSON.createObjectNode()
                    .put("v", 1)
                    .put("electionId", ELECTION_ID)
                    .put("voteId", uuid(spec.name() + " voteId"))
                    .put("choice", spec.choice())
                    .put("castAt", spec.castAt())
                    .put("idempotencyKey", uuid(spec.name() + " idempotencyKey"));
            vote.set("token", token);
            byte[] withoutSignature = CanonicalJson.of(vote);
            byte[] signature = voter.sign(withoutSignature);
            if (!VoterPublicKey.parse(spec.alg(), voter.spki()).verify(withoutSignature, signature)) {
                throw new IllegalStateException("a vector vote does not verify"); // a broken test key, not a vector
            }
            vote.put("signature", Base64Url.encode(signature));
            String voteHash = Base64Url.encode(Digests.sha256(CanonicalJson.of(vote)));
            String ballotId = VoteFormat.ballotId(tokenMessage);

            ObjectNode signedReceipt = receipt(receiptKey, ballotId, vote.get("voteId").asText(), voteHash,
                    Instant.parse(spec.acceptedAt()));
            ObjectNode entry = votes.addObject()
                    .put("name", spec.name())
                    .put("tokenMessage", Base64Url.encode(tokenMessage))
                    .put("ballotId", ballotId)
                    .put("canonicalWithoutSignature", Base64Url.encode(withoutSignature))
                    .put("voteHash", voteHash);
            entry.set("vote", vote);
            entry.set("receipt", signedReceipt);
            entry.put("receiptCanonicalWithoutSignature",
                    Base64Url.encode(CanonicalJson.of(signedReceipt.deepCopy().without("signature"))));
            entry.put("receiptBody", new String(CanonicalJson.of(signedReceipt), UTF_8));
        }

        ArrayNode canonical = file.putArray("canonicalJson");
        for (String[] c : CANONICAL_CASES) {
            ObjectNode entry = canonical.addObject().put("name", c[0]).put("input", c[1]);
            if (c.length == 3) {
                entry.put("rejected", true);
            } else {
                byte[] bytes = CanonicalJson.of(JSON.readTree(c[1]));
                entry.put("canonical", new String(bytes, UTF_8)).put("canonicalBytes", Base64Url.encode(bytes));
            }
        }
        return file;
    }

    /** The receipt exactly as the command side signs and sends it ({@link Receipt}, used by its Receipts). */
    private static ObjectNode receipt(ReceiptKey key, String ballotId, String voteId, String voteHash, Instant acceptedAt) {
        try {
            return (ObjectNode) JSON.readTree(new Receipt(ELECTION_ID, ballotId, voteId, voteHash, acceptedAt, key.kid())
                    .signedJson(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A voter's key pair made from a seed: Ed25519 signs deterministically, ES256 with RFC 6979 nonces. */
    private interface VoterKey {
        byte[] spki();

        byte[] sign(byte[] message);

        static VoterKey of(String alg, byte[] seed) {
            return alg.equals(VoterPublicKey.ED25519) ? ed25519(seed) : es256(seed);
        }

        private static VoterKey ed25519(byte[] seed) {
            Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(seed, 0);
            byte[] spki = Spki.ED25519.wrap(key.generatePublicKey().getEncoded());
            return new VoterKey() {
                public byte[] spki() {
                    return spki.clone();
                }

                public byte[] sign(byte[] message) {
                    Ed25519Signer signer = new Ed25519Signer();
                    signer.init(true, key);
                    signer.update(message, 0, message.length);
                    return signer.generateSignature();
                }
            };
        }

        private static VoterKey es256(byte[] seed) {
            X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
            ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
            BigInteger d = new BigInteger(1, seed).mod(domain.getN().subtract(BigInteger.ONE)).add(BigInteger.ONE);
            ECPrivateKeyParameters key = new ECPrivateKeyParameters(d, domain);
            ECPoint q = domain.getG().multiply(d).normalize();
            byte[] spki = Spki.P256.wrap(concat(q.getAffineXCoord().getEncoded(), q.getAffineYCoord().getEncoded()));
            return new VoterKey() {
                public byte[] spki() {
                    return spki.clone();
                }

                public byte[] sign(byte[] message) {
                    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                    signer.init(true, key);
                    BigInteger[] rs = signer.generateSignature(Digests.sha256(message));
                    // The contract's P1363 form: r ‖ s, 32 bytes each.
                    return concat(BigIntegers.asUnsignedByteArray(32, rs[0]), BigIntegers.asUnsignedByteArray(32, rs[1]));
                }
            };
        }
    }

    /** 32 bytes fixed by a label: the same label always gives the same key, prefix or id. */
    private static byte[] seed(String label) {
        return Digests.sha256(("java-receipts.json/" + label).getBytes(UTF_8));
    }

    /** A version-4-shaped UUID from a seed, so that the vote's ids are fixed too. */
    private static String uuid(String label) {
        byte[] b = seed(label);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        return new UUID(new BigInteger(1, Arrays.copyOf(b, 8)).longValue(),
                new BigInteger(1, Arrays.copyOfRange(b, 8, 16)).longValue()).toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    /** Two-space indent, LF, one space after a colon: the form the client's vector file has. */
    private static String pretty(JsonNode node) throws IOException {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return JSON.writer(printer).writeValueAsString(node) + "\n";
    }
}
