package voting.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Vote intake, ballot tokens and the admin commands: everything that writes to the event store. */
@SpringBootApplication
@EnableScheduling
public class CommandSideApplication {

    public static void main(String[] args) {
        // A JVM property, not a Spring one: Axon's update checker must not call out from our machines.
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(CommandSideApplication.class, args);
    }
}
