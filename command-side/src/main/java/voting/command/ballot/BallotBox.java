package voting.command.ballot;

import jakarta.annotation.PreDestroy;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import voting.events.BallotCommands.CastFirstVote;
import voting.events.BallotCommands.CastVote;
import voting.service.Problem;
import voting.service.ProblemResponses;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Where votes go in: many votes share one transaction, and each is acknowledged only after that commit.
 * <p>
 * A commit is what costs (an fsync); one per vote caps intake at the database's commits per second. Each writer
 * thread takes whatever votes are waiting (up to {@code batch-size}, waiting up to {@code batch-window-ms} for a
 * batch to fill), casts each on its Ballot inside one unit of work, commits once, then completes every vote's future.
 * One writer is the default: it keeps up with what the machine can verify (a batch is mostly JDBC batching), and
 * every vote it takes makes its batches larger. With more writers, ballots are split over them by ballot id, so one
 * ballot is never in two concurrent transactions. If the shared commit fails (another instance wrote one of the
 * ballots at the same moment), each vote of the batch is cast again on its own.
 */
@Component
class BallotBox {

    private static final Logger log = LoggerFactory.getLogger(BallotBox.class);
    private static final int ATTEMPTS = 3;

    /** A vote waiting for its writer, and when it arrived ({@link System#nanoTime()}). */
    private record Pending(CastVote command, CompletableFuture<VoteAcceptance> acceptance, long arrivedAt) {
    }

    private final CommandBus commandBus;
    private final TransactionManager transactions;
    private final JdbcTemplate jdbc;
    private final Receipts receipts;
    private final int batchSize;
    private final long batchWindowNanos;
    private final List<Writer> writers = new ArrayList<>();
    private volatile boolean open = true;

    BallotBox(CommandBus commandBus, TransactionManager transactions, JdbcTemplate jdbc, Receipts receipts,
              @Value("${voting.intake.writers:1}") int writerCount,
              @Value("${voting.intake.batch-size:100}") int batchSize,
              @Value("${voting.intake.batch-window-ms:15}") long batchWindowMillis) {
        this.commandBus = commandBus;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.receipts = receipts;
        this.batchSize = batchSize;
        this.batchWindowNanos = TimeUnit.MILLISECONDS.toNanos(batchWindowMillis);
        for (int i = 0; i < writerCount; i++) {
            writers.add(new Writer("ballot-box-" + i));
        }
    }

    /** A writer thread and the votes waiting for it. */
    private final class Writer {
        final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
        final Thread thread;
        /** How many queued votes would fill the batch this writer is waiting to fill; none while it is not. */
        volatile int missing = Integer.MAX_VALUE;

        Writer(String name) {
            thread = new Thread(() -> write(this), name);
            thread.start();
        }

        void add(Pending pending) {
            queue.add(pending);
            if (queue.size() >= missing) {
                LockSupport.unpark(thread);
            }
        }
    }

    /** Casts the vote; the future completes after its transaction committed, or with the vote's rejection. */
    CompletableFuture<VoteAcceptance> cast(CastVote command) {
        CompletableFuture<VoteAcceptance> acceptance = new CompletableFuture<>();
        if (!open) {
            acceptance.completeExceptionally(Problem.UNAVAILABLE.because("The service is shutting down"));
            return acceptance;
        }
        writers.get(Math.floorMod(command.ballotId().hashCode(), writers.size()))
                .add(new Pending(command, acceptance, System.nanoTime()));
        return acceptance;
    }

    private void write(Writer writer) {
        BlockingQueue<Pending> queue = writer.queue;
        List<Pending> batch = new ArrayList<>(batchSize);
        while (open || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                awaitMore(writer, batch);
                castTogether(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error unexpected) {
                log.error("Ballot box writer failed on a batch", unexpected);
                batch.forEach(pending -> pending.acceptance().completeExceptionally(unexpected));
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Under a moderate load a batch would hold a vote or two, and a commit per vote or two costs the machine about
     * twice what the same votes cost in full batches. So a batch that is not full waits until its oldest vote has
     * waited the batch window, or until enough votes are queued to fill it. Under a heavy load the oldest vote has
     * already waited that long for the last commit, and nothing waits.
     */
    private void awaitMore(Writer writer, List<Pending> batch) {
        long deadline = batch.get(0).arrivedAt() + batchWindowNanos;
        // Parked rather than polling: a poll would wake this thread for every vote arriving meanwhile. The vote
        // that fills the batch unparks it (Writer.add); setting missing before reading the queue's size means
        // either this thread sees that vote or that vote's caster sees this thread waiting.
        writer.missing = batchSize - batch.size();
        try {
            long wait;
            while (writer.queue.size() < writer.missing && (wait = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
        } finally {
            writer.missing = Integer.MAX_VALUE;
        }
        writer.queue.drainTo(batch, batchSize - batch.size());
    }

    private void castTogether(List<Pending> batch) {
        List<CommandResultMessage<?>> results;
        try {
            results = castInOneTransaction(batch);
        } catch (RuntimeException sharedCommitFailed) {
            if (ProblemResponses.asRejected(sharedCommitFailed).problem() == Problem.UNAVAILABLE) {
                // The database is away: casting each vote alone would wait for a connection once per vote. Each
                // client gets 503 at once and resends; a vote whose commit did land is then answered as a replay.
                batch.forEach(pending -> pending.acceptance().completeExceptionally(sharedCommitFailed));
                return;
            }
            log.debug("A batch of {} votes failed together; casting each alone", batch.size(), sharedCommitFailed);
            batch.forEach(this::castAlone);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i));
        }
    }

    private void castAlone(Pending pending) {
        for (int attempt = 1; ; attempt++) {
            try {
                complete(pending, castInOneTransaction(List.of(pending)).get(0));
                return;
            } catch (RuntimeException failure) {
                boolean raced = causedBy(failure, AggregateStreamCreationException.class)
                        || causedBy(failure, ConcurrencyException.class);
                boolean keyTaken = causedBy(failure, DuplicateKeyException.class);
                if ((!raced && !keyTaken) || attempt == ATTEMPTS) {
                    pending.acceptance().completeExceptionally(raced
                            ? Problem.REQUEST_IN_FLIGHT.because("This ballot is being written by another request")
                            : keyTaken
                            ? Problem.IDEMPOTENCY_KEY_REUSED.because("This idempotency key was used for another vote")
                            : failure);
                    return;
                }
                // Another request wrote this ballot, or took this idempotency key, at the same moment. Deciding
                // again on the ballot as it now is gives a replay if that was this very vote.
            }
        }
    }

    /**
     * Casts the votes in one unit of work and one transaction, and records the receipts of those accepted. Only
     * ballots that already hold a vote are read (one query finds them all); a ballot's first vote is cast without.
     *
     * @return each vote's result (an accepted vote, or its rejection), once the transaction committed
     * @throws RuntimeException if the transaction failed: then nothing of these votes is stored
     */
    private List<CommandResultMessage<?>> castInOneTransaction(List<Pending> votes) {
        List<CommandResultMessage<?>> results = new ArrayList<>(votes.size());
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            unitOfWork.attachTransaction(transactions);
            Set<String> ballotsWithVotes = ballotsWithVotes(votes);
            Map<String, VoteAcceptance> resent = resends(votes, ballotsWithVotes);
            for (Pending pending : votes) {
                CastVote command = pending.command();
                VoteAcceptance earlier = resent.get(command.vote().idempotencyKey());
                if (earlier != null && earlier.voteHash().equals(command.voteHash())) {
                    // The very vote again: its receipt, without loading the ballot (the ballot would say the same).
                    results.add(GenericCommandResultMessage.asCommandResultMessage(earlier));
                    continue;
                }
                Object message = ballotsWithVotes.add(command.ballotId()) ? new CastFirstVote(command) : command;
                // Nested in this unit of work: each vote's events wait for the one commit below.
                commandBus.dispatch(GenericCommandMessage.asCommandMessage(message), (c, result) -> results.add(result));
            }
            receipts.record(results.stream()
                    .filter(result -> !result.isExceptional())
                    .map(result -> (VoteAcceptance) result.getPayload())
                    .filter(acceptance -> !acceptance.replayed())
                    .toList());
            unitOfWork.commit();
            return results;
        } catch (RuntimeException | Error failure) {
            if (unitOfWork.isActive()) {
                unitOfWork.rollback(failure);
            }
            throw failure;
        }
    }

    /**
     * The votes accepted earlier under the idempotency keys of these votes, by key. Only a ballot that holds a vote
     * can be sent one again, so a batch of first votes asks nothing. After an outage most votes are resends: answered
     * from their receipts, they need no ballot loaded one by one.
     */
    private Map<String, VoteAcceptance> resends(List<Pending> votes, Set<String> ballotsWithVotes) {
        return receipts.acceptedEarlier(votes.stream()
                .filter(pending -> ballotsWithVotes.contains(pending.command().ballotId()))
                .map(pending -> pending.command().vote().idempotencyKey())
                .toList());
    }

    /** The ballots among these votes' that hold a vote: the first event of every ballot has sequence number 0. */
    private Set<String> ballotsWithVotes(List<Pending> votes) {
        Set<String> ballots = new HashSet<>();
        jdbc.query("SELECT aggregate_identifier FROM domain_event_entry WHERE aggregate_identifier = ANY(?) "
                        + "AND sequence_number = 0",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("text",
                        votes.stream().map(pending -> pending.command().ballotId()).distinct().toArray())),
                (RowCallbackHandler) row -> ballots.add(row.getString(1)));
        return ballots;
    }

    private static void complete(Pending pending, CommandResultMessage<?> result) {
        if (result.isExceptional()) {
            pending.acceptance().completeExceptionally(result.exceptionResult());
        } else {
            pending.acceptance().complete((VoteAcceptance) result.getPayload());
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** Lets the writers finish what is queued: every vote taken in gets its answer. */
    @PreDestroy
    void close() throws InterruptedException {
        open = false;
        for (Writer writer : writers) {
            writer.thread.join(10_000);
        }
    }
}
