package voting.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Verifies votes on a pool of threads while the reader goes on reading: votes are handed over in batches, so the
 * signature checks of a batch run while the next one is read. Signature checks are nearly all of the work, and
 * they are independent, so the audit uses every core.
 */
final class Verification implements AutoCloseable {

    static final int BATCH = 256;

    private final ExecutorService pool;
    private final Consumer<VoteRecord> check;
    /**
     * Batches handed over but not yet verified, at most a few per thread: reading is much faster than verifying,
     * and a reader far ahead would hold every raw payload in memory at once (and the collector would copy them).
     */
    private final Semaphore inFlight;
    private final List<Future<?>> pending = new ArrayList<>();
    private List<VoteRecord> batch = new ArrayList<>(BATCH);

    Verification(int threads, Consumer<VoteRecord> check) {
        AtomicInteger number = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "verify-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.check = check;
        this.inFlight = new Semaphore(4 * threads);
    }

    void add(VoteRecord vote) throws InterruptedException {
        batch.add(vote);
        if (batch.size() == BATCH) {
            submit();
        }
    }

    private void submit() throws InterruptedException {
        List<VoteRecord> votes = batch;
        batch = new ArrayList<>(BATCH);
        inFlight.acquire();
        pending.add(pool.submit(() -> {
            try {
                votes.forEach(check);
            } finally {
                inFlight.release();
            }
        }));
    }

    /** Waits until every vote handed over is verified. */
    void finish() throws InterruptedException {
        if (!batch.isEmpty()) {
            submit();
        }
        for (Future<?> future : pending) {
            try {
                future.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("verifying votes failed: " + e.getCause(), e.getCause());
            }
        }
        pending.clear();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
