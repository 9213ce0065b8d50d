package voting.edge.limits;

import io.netty.util.NetUtil;
import org.springframework.http.server.reactive.ServerHttpRequest;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Who a request counts against. The peer's address, or, behind {@code trustedProxies} proxies, the address the
 * outermost of them saw: that many entries from the right of {@code X-Forwarded-For}, since everything left of what
 * our own proxies wrote is the client's to invent. IPv6 counts by /64, the block one subscriber is usually given.
 */
final class ClientAddress {

    private final int trustedProxies;

    ClientAddress(int trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    String of(ServerHttpRequest request) {
        if (trustedProxies > 0) {
            List<String> hops = forwardedFor(request);
            if (!hops.isEmpty()) {
                String hop = hops.get(Math.max(0, hops.size() - trustedProxies));
                InetAddress address = NetUtil.createInetAddressFromIpAddressString(hop);
                return address == null ? hop : key(address);
            }
        }
        InetSocketAddress peer = request.getRemoteAddress();
        return peer == null || peer.getAddress() == null ? "unknown" : key(peer.getAddress());
    }

    private static List<String> forwardedFor(ServerHttpRequest request) {
        List<String> hops = new ArrayList<>();
        for (String header : request.getHeaders().getOrEmpty("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        return hops;
    }

    private static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
        }
        return address.getHostAddress();
    }
}
