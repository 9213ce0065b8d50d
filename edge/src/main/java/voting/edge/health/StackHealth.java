package voting.edge.health;

import org.springframework.boot.actuate.health.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import voting.edge.routing.Upstreams;

/** {@code /actuator/health} of the edge answers for the whole stack: UP only when both sides are. */
@Configuration(proxyBeanMethods = false)
class StackHealth {

    @Bean
    ReactiveHealthIndicator commandSideHealthIndicator(WebClient.Builder web, Upstreams upstreams) {
        return new UpstreamHealth(web.build(), upstreams.commandUrl(), upstreams.healthTimeout());
    }

    @Bean
    ReactiveHealthIndicator querySideHealthIndicator(WebClient.Builder web, Upstreams upstreams) {
        return new UpstreamHealth(web.build(), upstreams.queryUrl(), upstreams.healthTimeout());
    }
}
