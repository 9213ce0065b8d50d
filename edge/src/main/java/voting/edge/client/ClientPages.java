package voting.edge.client;

import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.resource.ResourceWebHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The client's files, and its {@code index.html} for any other page path: the client routes on its own, so a reload
 * of {@code /elections/demo} must load the app. API and actuator paths, and missing files, stay {@code 404}.
 */
final class ClientPages extends ResourceWebHandler {

    @Override
    protected Mono<Resource> getResource(ServerWebExchange exchange) {
        return super.getResource(exchange).switchIfEmpty(Mono.defer(() ->
                isPage(exchange.getRequest()) ? index() : Mono.empty()));
    }

    // A missing file name (one with an extension) stays 404: HTML in place of a script or an icon only confuses.
    private static boolean isPage(ServerHttpRequest request) {
        String path = request.getPath().pathWithinApplication().value();
        String lastSegment = path.substring(path.lastIndexOf('/') + 1);
        return (request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD)
                && !lastSegment.contains(".")
                && !path.startsWith("/api/") && !path.equals("/api")
                && !path.startsWith("/actuator/") && !path.equals("/actuator");
    }

    private Mono<Resource> index() {
        return Flux.fromIterable(getLocations())
                .map(location -> {
                    try {
                        return location.createRelative("index.html");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .filter(Resource::isReadable)
                .next();
    }
}
