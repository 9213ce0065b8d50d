package voting.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The embedded PostgreSQL of a local run. Its data lives under {@code <data dir>/postgres} and survives restarts.
 * <p>
 * One server serves every service of a run: whoever comes first starts it, later callers attach to the running
 * server they find through PostgreSQL's own {@code postmaster.pid}. Only the starter stops it.
 * Durability is as in production: {@code fsync} and {@code synchronous_commit} are on.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres startedHere;
    private final int port;
    private final long postmasterPid;

    private final Path pgData;

    private EmbeddedDatabase(EmbeddedPostgres startedHere, int port, long postmasterPid, Path pgData) {
        this.startedHere = startedHere;
        this.port = port;
        this.postmasterPid = postmasterPid;
        this.pgData = pgData;
    }

    public static EmbeddedDatabase startOrAttach(Path dataDir) throws IOException {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        for (int attempt = 0; ; attempt++) {
            Optional<long[]> running = running(pgData);
            if (running.isPresent()) {
                return new EmbeddedDatabase(null, (int) running.get()[1], running.get()[0], pgData);
            }
            try {
                return start(pgData);
            } catch (IllegalStateException | IOException raced) {
                // Another process is starting the same data directory: attach to it once it is up.
                if (attempt >= 50) {
                    throw new IOException("could not start or attach to PostgreSQL in " + pgData, raced);
                }
                sleep(200);
            }
        }
    }

    private static EmbeddedDatabase start(Path pgData) throws IOException {
        Files.createDirectories(pgData.getParent());
        Path log = pgData.getParent().resolve("postgres.log");
        // A server started again (after a crash) listens where the last one did: running services hold that URL.
        Path portFile = pgData.getParent().resolve("postgres.port");
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setPort(previousPortIfFree(portFile))
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                // Checkpoints far apart: the first change to a page after each one logs the whole page, and ballots,
                // receipts and tallies are keyed at random; with the defaults (a checkpoint every minute or two at
                // full intake) a vote wrote a third more WAL. See docs/operations.md.
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("checkpoint_timeout", "15min")
                // A new WAL segment is otherwise written full of zeros and synced while commits wait for it: at
                // half of full intake that held every commit up by 15-30 ms about every 4 s. Without, the segment
                // is created at once and each WAL block is allocated by its first write. See docs/operations.md.
                .setServerConfig("wal_init_zero", "off")
                .setServerConfig("max_connections", "300")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Files.writeString(portFile, server.getPort() + "\n");
        return new EmbeddedDatabase(server, server.getPort(), -1, pgData);
    }

    /** The port of this data directory's last server if it is free now; 0 (any free port) otherwise. */
    private static int previousPortIfFree(Path portFile) {
        try {
            int port = Integer.parseInt(Files.readString(portFile).trim());
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            }
        } catch (IOException | NumberFormatException noneOrTaken) {
            return 0;
        }
    }

    /** The pid and port of a server that owns this data directory and accepts connections, if there is one. */
    private static Optional<long[]> running(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 8 || !lines.get(7).trim().equals("ready")) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            int port = Integer.parseInt(lines.get(3).trim());
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && accepts(port)) {
                return Optional.of(new long[]{pid, port});
            }
        } catch (IOException | NumberFormatException notRunning) {
            // no pid file, or a stale or partial one
        }
        return Optional.empty();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    /** The PostgreSQL server process (the postmaster), while its pid file names a live one. */
    public Optional<ProcessHandle> postmaster() {
        long pid = postmasterPid;
        if (pid < 0) {
            try {
                pid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
            } catch (IOException | RuntimeException noPidFile) {
                return Optional.empty();
            }
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    public boolean startedHere() {
        return startedHere != null;
    }

    /** Stops the server whoever started it: for the one process that owns the database of a run. */
    public void stopServer() throws IOException {
        if (startedHere != null) {
            startedHere.close();
            return;
        }
        // A server left behind by a process that died: SIGTERM is PostgreSQL's clean ("smart") shutdown.
        ProcessHandle.of(postmasterPid).ifPresent(postmaster -> {
            postmaster.destroy();
            postmaster.onExit().join();
        });
    }

    /** Stops the server if this process started it; a server found running is left running. */
    @Override
    public void close() throws IOException {
        if (startedHere != null) {
            startedHere.close();
        }
    }
}
