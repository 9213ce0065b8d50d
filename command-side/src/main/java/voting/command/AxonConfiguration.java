package voting.command;

import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/**
 * The command side's event handlers keep tables in step with the events (elections, receipts). They run in the
 * transaction that stores the events, and a failure there must fail that transaction rather than be logged away.
 */
@Configuration
class AxonConfiguration {

    @Autowired
    void failTheCommandWhenAHandlerFails(EventProcessingConfigurer processing) {
        processing.usingSubscribingEventProcessors();
        processing.registerDefaultListenerInvocationErrorHandler(configuration -> PropagatingErrorHandler.instance());
    }
}
