package voting.query;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * State that event handlers gather over one batch of events and write once, just before the batch's transaction
 * commits (the transaction that also stores the processor's token). This is what turns 500 votes into a few
 * statements.
 */
public final class PerBatch {

    private PerBatch() {
    }

    /** This batch's instance of {@code key}'s state, created (and its write registered) on first use. */
    public static <T> T state(String key, Supplier<T> create, Consumer<T> write) {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(key, k -> {
            T state = create.get();
            batch.onPrepareCommit(u -> write.accept(state));
            return state;
        });
    }
}
