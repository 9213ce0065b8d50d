package voting.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A secret of a local run that is not configured: generated once into the data directory, readable by its owner only.
 * In production the secret comes from configuration and no file is written.
 */
public final class LocalSecret {

    private LocalSecret() {
    }

    public static String configuredOrFile(String configured, Path file, Supplier<String> generate) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path partial = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            String secret = generate.get();
            Files.writeString(partial, secret + "\n");
            try {
                // Two services starting together must end up with the same secret: the first to link wins.
                Files.createLink(file, partial);
            } catch (java.nio.file.FileAlreadyExistsException lost) {
                // another process wrote it first
            } finally {
                Files.delete(partial);
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + file, e);
        }
    }
}
