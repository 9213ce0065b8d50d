package voting.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The public reads: election catalogue, tallies (JSON and live SSE), the bulletin board and admin statistics. */
@SpringBootApplication
@EnableScheduling
public class QuerySideApplication {

    static {
        // Axon's update checker reads only this JVM property (or an environment variable), never Spring's settings.
        System.setProperty("axoniq.update-checker.disabled", "true");
    }

    public static void main(String[] args) {
        SpringApplication.run(QuerySideApplication.class, args);
    }
}
