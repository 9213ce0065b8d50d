package voting.service;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/** What every service of the platform shares: problem answers, strict JSON bodies, the admin token. */
@AutoConfiguration
@Import({ProblemExceptionHandler.class, JsonBodies.class, AdminToken.class})
public class ServiceSupport {
}
