package voting.events;

/** A public key as the contract publishes it: {@code {kid, alg, spki}}, spki as base64url DER. */
public record PublishedKey(String kid, String alg, String spki) {
}
