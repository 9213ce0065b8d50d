package voting.service;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import voting.service.LocalSecret;
import voting.crypto.Base64Url;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;

/** The admin API's bearer token: {@code VOTING_ADMIN_TOKEN}, or one generated into the data directory. */

public class AdminToken {

    private final byte[] token;

    public AdminToken(@Value("${voting.admin-token:}") String configured, @Value("${voting.data-dir:var}") Path dataDir) {
        this.token = LocalSecret.configuredOrFile(configured, dataDir.resolve("admin-token"), () -> {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return Base64Url.encode(random);
        }).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether an {@code Authorization} header value is {@code Bearer <admin token>}; compared in constant time. */
    public boolean accepts(String authorization) {
        return authorization != null && authorization.startsWith("Bearer ")
                && MessageDigest.isEqual(token, authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    /** Lets a request through only with the admin token. */
    public HandlerFilterFunction<ServerResponse, ServerResponse> required() {
        // Exactly one Authorization header: with two, which one counts would depend on who reads them.
        return (request, next) -> request.headers().header("Authorization").size() == 1
                && accepts(request.headers().firstHeader("Authorization")) ? next.handle(request)
                : ProblemResponses.respond(Problem.UNAUTHORIZED.because("Send Authorization: Bearer <admin token>"));
    }
}
