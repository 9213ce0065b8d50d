package voting.service;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.concurrent.Callable;

/** JDBC and Axon's command bus block: they run here, never on the event-loop threads. */
public final class Blocking {

    private static final Scheduler DATABASE = Schedulers.boundedElastic();

    private Blocking() {
    }

    public static <T> Mono<T> call(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(DATABASE);
    }
}
