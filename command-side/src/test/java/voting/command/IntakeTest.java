package voting.command;

import org.springframework.boot.test.autoconfigure.web.reactive.AutoConfigureWebTestClient;
import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The command side as it runs: real HTTP on a random port, and a real PostgreSQL (the embedded one, in
 * {@code target/test-var}, with fsync on). Test classes sharing this annotation share one running service.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"voting.data-dir=target/test-var", "voting.admin-token=" + VotingApi.ADMIN_TOKEN})
@AutoConfigureWebTestClient(timeout = "30s")
public @interface IntakeTest {
}
