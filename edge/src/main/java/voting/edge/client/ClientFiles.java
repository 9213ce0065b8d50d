package voting.edge.client;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.resource.ResourceWebHandler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built web client: from {@code voting.edge.client-dir} when set (a client built apart from the edge), then from
 * {@code classpath:/static/} (the client jar). Files under {@code assets/} have content hashes in their names and are
 * cached for good; every other file keeps its name across releases, so browsers revalidate it on each use.
 * Tried after the API routes, so an API path never gets a file.
 */
@Configuration(proxyBeanMethods = false)
class ClientFiles {

    private static final CacheControl FOREVER = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

    @Bean
    SimpleUrlHandlerMapping clientFilesMapping(@Value("${voting.edge.client-dir:}") String clientDir,
            ResourceLoader resourceLoader) throws Exception {
        List<String> locations = new ArrayList<>();
        if (!clientDir.isBlank()) {
            locations.add(Path.of(clientDir).toAbsolutePath().toUri().toString());
        }
        locations.add("classpath:/static/");

        ResourceWebHandler assets = new ResourceWebHandler();
        assets.setLocationValues(locations.stream().map(location -> location + "assets/").toList());
        assets.setCacheControl(FOREVER);
        // Never revalidated, so no validators to compute.
        assets.setUseLastModified(false);
        configure(assets, resourceLoader);

        ClientPages pages = new ClientPages();
        pages.setLocationValues(locations);
        pages.setCacheControl(CacheControl.noCache());
        // Jar entries may all carry one fixed build time: a content hash is the only validator that tells releases apart.
        pages.setUseLastModified(false);
        pages.setEtagGenerator(ContentTag::of);
        configure(pages, resourceLoader);

        return new SimpleUrlHandlerMapping(Map.of("/assets/**", assets, "/**", pages), Ordered.LOWEST_PRECEDENCE - 1);
    }

    private static void configure(ResourceWebHandler handler, ResourceLoader resourceLoader) throws Exception {
        handler.setResourceLoader(resourceLoader);
        handler.setMediaTypes(Map.of("webmanifest", MediaType.valueOf("application/manifest+json")));
        handler.afterPropertiesSet();
    }
}
