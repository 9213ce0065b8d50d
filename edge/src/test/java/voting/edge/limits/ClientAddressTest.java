package voting.edge.limits;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

    private static MockServerHttpRequest.BaseBuilder<?> from(String peer) {
        return MockServerHttpRequest.post("/api/v1/elections/e/votes").remoteAddress(new InetSocketAddress(peer, 40000));
    }

    @Test
    void withoutTrustedProxiesTheForwardedHeaderIsIgnored() {
        ClientAddress clients = new ClientAddress(0);
        assertThat(clients.of(from("198.51.100.4").header("X-Forwarded-For", "203.0.113.1").build()))
                .isEqualTo("198.51.100.4");
    }

    @Test
    void behindProxiesTheEntryTheOutermostProxyWroteCounts() {
        MockServerHttpRequest request = from("10.0.0.2")
                .header("X-Forwarded-For", "6.6.6.6, 203.0.113.1", "10.0.0.1").build();
        assertThat(new ClientAddress(1).of(request)).isEqualTo("10.0.0.1");
        assertThat(new ClientAddress(2).of(request)).isEqualTo("203.0.113.1");
        // More proxies configured than entries: the leftmost is all there is.
        assertThat(new ClientAddress(5).of(request)).isEqualTo("6.6.6.6");
        assertThat(new ClientAddress(1).of(from("10.0.0.2").build())).as("no header").isEqualTo("10.0.0.2");
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        ClientAddress clients = new ClientAddress(0);
        String one = clients.of(from("2001:db8:1:2::1").build());
        assertThat(one).isEqualTo(clients.of(from("2001:db8:1:2:ffff::9").build()));
        assertThat(one).isNotEqualTo(clients.of(from("2001:db8:1:3::1").build()));
        assertThat(new ClientAddress(1).of(from("10.0.0.2").header("X-Forwarded-For", "2001:db8:1:2::7").build()))
                .isEqualTo(one);
    }
}
