package voting.edge.client;

import org.springframework.core.io.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** A strong ETag from a file's content; the files it is used for are small (index, service worker, manifest). */
final class ContentTag {

    private ContentTag() {
    }

    static String of(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[8192];
            for (int read = in.read(chunk); read > 0; read = in.read(chunk)) {
                sha256.update(chunk, 0, read);
            }
            byte[] digest = sha256.digest();
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (IOException | NoSuchAlgorithmException e) {
            // No validator: the file is then simply sent again.
            return null;
        }
    }
}
