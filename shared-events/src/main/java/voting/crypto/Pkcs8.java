package voting.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;

/** Private keys as PKCS#8 DER, the form they are sealed and stored in. */
final class Pkcs8 {

    private Pkcs8() {
    }

    static byte[] encode(AsymmetricKeyParameter privateKey) {
        try {
            return PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // encoding a well-formed key in memory does not fail
        }
    }

    /** @throws IllegalArgumentException if {@code pkcs8} is malformed or holds another kind of key */
    static <T extends AsymmetricKeyParameter> T decode(byte[] pkcs8, Class<T> type) {
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(pkcs8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed PKCS#8 private key: " + e.getMessage(), e);
        }
        if (!type.isInstance(key)) {
            throw new IllegalArgumentException("PKCS#8 holds a " + key.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(key);
    }
}
