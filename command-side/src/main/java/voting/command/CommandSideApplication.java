package voting.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Vote intake, ballot tokens and the admin commands: everything that writes to the event store. */
@SpringBootApplication
@EnableScheduling
public class CommandSideApplication {

    static {
        // Axon's update checker reads only this JVM property (or an environment variable), never Spring's settings.
        System.setProperty("axoniq.update-checker.disabled", "true");
    }

    public static void main(String[] args) {
        SpringApplication.run(CommandSideApplication.class, args);
    }
}
