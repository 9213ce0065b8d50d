package voting.command;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import voting.service.Rejected;

/** How Axon runs on the command side. */
@Configuration
class AxonConfiguration {

    /**
     * The event handlers here keep tables in step with the events (elections, receipts). They run in the
     * transaction that stores the events, and a failure there must fail that transaction, not be logged away.
     */
    @Autowired
    void failTheCommandWhenAHandlerFails(EventProcessingConfigurer processing) {
        processing.usingSubscribingEventProcessors();
        processing.registerDefaultListenerInvocationErrorHandler(configuration -> PropagatingErrorHandler.instance());
    }

    /**
     * Axon's command bus, except that a command rejected by its aggregate does not roll back: aggregates reject
     * before they apply anything, and rolling back would mark the transaction that a whole batch of votes shares
     * (see the ballot box) rollback-only.
     */
    @Bean
    SimpleCommandBus commandBus(TransactionManager transactionManager, org.axonframework.config.Configuration axon) {
        SimpleCommandBus commandBus = SimpleCommandBus.builder()
                .transactionManager(transactionManager)
                .rollbackConfiguration(failure -> !(failure instanceof Rejected)
                        && RollbackConfigurationType.ANY_THROWABLE.rollBackOn(failure))
                .messageMonitor(axon.messageMonitor(CommandBus.class, "commandBus"))
                .build();
        commandBus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        return commandBus;
    }
}
