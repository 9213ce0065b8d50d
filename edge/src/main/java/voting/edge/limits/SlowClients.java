package voting.edge.limits;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Slow clients (slowloris: a request dribbled a byte at a time) cost the edge a connection, never a thread; these
 * bounds make sure they cannot hold connections for ever. A request body that pauses longer than
 * {@code read-timeout}, or takes longer than {@code request-timeout} in all, is answered {@code 408} by the
 * transport and its connection closed (the upstream request is cancelled with it); a connection that sends
 * nothing for {@code idle-timeout} between requests is closed.
 */
@Component
class SlowClients implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

    private final Duration readTimeout;
    private final Duration requestTimeout;
    private final Duration idleTimeout;

    SlowClients(@Value("${voting.edge.slow-clients.read-timeout:10s}") Duration readTimeout,
                @Value("${voting.edge.slow-clients.request-timeout:20s}") Duration requestTimeout,
                @Value("${voting.edge.slow-clients.idle-timeout:60s}") Duration idleTimeout) {
        this.readTimeout = readTimeout;
        this.requestTimeout = requestTimeout;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        factory.addServerCustomizers(server -> server.readTimeout(readTimeout).requestTimeout(requestTimeout)
                .idleTimeout(idleTimeout));
    }
}
