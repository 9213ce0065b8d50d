package voting.query;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;

/**
 * How the read-model processor ({@link ReadModelProcessor}; its mode, segments and batch size are in
 * application.yml) handles failures, and the event store it reads.
 */
@org.springframework.context.annotation.Configuration
class ReadModelConfiguration {

    /**
     * A handler that fails must fail its batch: the transaction rolls back, token included, and the batch is
     * retried. Axon's default would log the failure and move on, leaving a vote uncounted for good.
     */
    @Autowired
    void failTheBatchWhenAHandlerFails(EventProcessingConfigurer processing) {
        processing.registerListenerInvocationErrorHandler(ReadModelProcessor.NAME,
                configuration -> PropagatingErrorHandler.instance());
    }

    /**
     * The event store as Axon's auto-configuration builds it, but asking the database for new events every
     * {@code voting.query.event-fetch-delay-ms} rather than every second: the command side writes the events, so no
     * local publication wakes this reader up, and the poll interval is part of every tally's lag. It keeps
     * {@code voting.query.cached-events} recent events in memory for its readers (see application.yml).
     */
    @Qualifier("eventStore")
    @Bean(name = "eventBus")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, Configuration configuration,
                                  @Value("${voting.query.event-fetch-delay-ms:100}") long fetchDelayMillis,
                                  @Value("${voting.query.cached-events}") int cachedEvents) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(fetchDelayMillis)
                .cachedEvents(cachedEvents)
                .build();
    }

    /** Axon's JDBC storage engine, exactly as its auto-configuration would build it had we not defined the store. */
    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          Configuration configuration,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager,
                                          EventSchema eventSchema) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .build();
    }
}
