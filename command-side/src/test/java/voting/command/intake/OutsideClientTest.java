package voting.command.intake;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import voting.command.IntakeTest;
import voting.command.VotingApi;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client written only from the contract, in JavaScript with Web Crypto (e2e/contract-client.mjs), casts a vote
 * against this service and verifies its token and receipt.
 */
@IntakeTest
class OutsideClientTest {

    @LocalServerPort
    int port;

    @ParameterizedTest
    @ValueSource(strings = {"Ed25519", "ES256"})
    void a_contract_only_client_casts_a_vote_and_verifies_its_receipt(String alg) throws Exception {
        Process client = new ProcessBuilder("node", new File("../e2e/contract-client.mjs").getAbsolutePath(),
                "http://localhost:" + port, VotingApi.ADMIN_TOKEN, alg)
                .redirectErrorStream(true)
                .start();
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("client finished").isTrue();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(client.exitValue()).as(output).isZero();
        assertThat(output).contains("\"receipt\":\"verified\"");
    }
}
