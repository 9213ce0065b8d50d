package voting.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Encrypts secrets at rest (private keys) under a master key: AES-256-GCM, output nonce ‖ ciphertext ‖ tag.
 * The associated data (a key's kid, say) is authenticated, not stored: a box only opens for the same value, so
 * boxes cannot be swapped between records.
 *
 * <p>Thread-safe. Nonces are 12 random bytes, which is safe for far more boxes than a master key will ever seal.
 */
public final class SealedBox {

    private static final int KEY_LENGTH = 32;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_LENGTH = 16;

    private final KeyParameter masterKey;

    /** @throws IllegalArgumentException unless {@code masterKey} is 32 bytes */
    public SealedBox(byte[] masterKey) {
        if (masterKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("master key must be " + KEY_LENGTH + " bytes");
        }
        this.masterKey = new KeyParameter(masterKey); // copies the key
    }

    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_LENGTH];
        CryptoServicesRegistrar.getSecureRandom().nextBytes(nonce);
        byte[] sealed = Arrays.copyOf(nonce, NONCE_LENGTH + plaintext.length + TAG_LENGTH);
        GCMModeCipher gcm = gcm(true, nonce, associatedData);
        int written = gcm.processBytes(plaintext, 0, plaintext.length, sealed, NONCE_LENGTH);
        try {
            gcm.doFinal(sealed, NONCE_LENGTH + written);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e); // only decryption checks a tag
        }
        return sealed;
    }

    /**
     * @throws IllegalArgumentException if {@code sealed} was altered, or was sealed under another key or other
     *                                  associated data
     */
    public byte[] open(byte[] sealed, byte[] associatedData) {
        if (sealed.length < NONCE_LENGTH + TAG_LENGTH) {
            throw new IllegalArgumentException("sealed box is too short");
        }
        byte[] plaintext = new byte[sealed.length - NONCE_LENGTH - TAG_LENGTH];
        GCMModeCipher gcm = gcm(false, Arrays.copyOf(sealed, NONCE_LENGTH), associatedData);
        int written = gcm.processBytes(sealed, NONCE_LENGTH, sealed.length - NONCE_LENGTH, plaintext, 0);
        try {
            gcm.doFinal(plaintext, written);
        } catch (InvalidCipherTextException e) {
            throw new IllegalArgumentException("sealed box does not open: altered, or wrong key or associated data", e);
        }
        return plaintext;
    }

    private GCMModeCipher gcm(boolean encrypt, byte[] nonce, byte[] associatedData) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(masterKey, TAG_LENGTH * 8, nonce, associatedData));
        return gcm;
    }
}
