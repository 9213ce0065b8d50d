package voting.query;

import org.springframework.boot.test.autoconfigure.web.reactive.AutoConfigureWebTestClient;
import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The query side as it runs: real HTTP on a random port and a real PostgreSQL (the embedded one, in
 * {@code target/test-var}). Test classes sharing this annotation share one running service. Heartbeats come every
 * second here, so that a test can wait for one.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"voting.data-dir=target/test-var", "voting.admin-token=" + QueryTest.ADMIN_TOKEN,
                "voting.query.heartbeat-ms=1000"})
@AutoConfigureWebTestClient(timeout = "30s")
public @interface QueryTest {

    String ADMIN_TOKEN = "test-admin-token";
}
