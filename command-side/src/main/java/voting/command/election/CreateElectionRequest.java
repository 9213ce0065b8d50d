package voting.command.election;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import voting.events.Eligibility;

import java.time.Instant;
import java.util.List;

/**
 * The admin's request to create an election (contract: Admin). {@code id} is optional and not in the contract's
 * list: it lets an operator give a well-known id such as {@code demo}; without it the server picks one.
 */
record CreateElectionRequest(@Pattern(regexp = ElectionAdmin.ID_PATTERN) String id,
                             @NotBlank @Size(max = 200) String title,
                             @Size(max = 5000) String description,
                             @NotNull @Size(min = 2, max = 100) List<@Valid @NotNull Option> options,
                             Instant opensAt,
                             Instant closesAt,
                             @NotNull Eligibility eligibility,
                             @NotNull Boolean liveResults,
                             @NotNull Boolean revoting) {

    record Option(@Pattern(regexp = ElectionAdmin.ID_PATTERN) String id, @NotBlank @Size(max = 200) String label) {
    }
}
