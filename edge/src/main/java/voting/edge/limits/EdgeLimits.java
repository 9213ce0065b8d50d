package voting.edge.limits;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import voting.service.AdminToken;
import voting.service.Problem;

import java.util.List;

/** The limits each route carries: rate limits on the two bulk paths, a body size limit on all. */
@Component
public class EdgeLimits {

    private final RateLimitProperties rateLimits;
    private final RateLimiter ballotTokenLimiter;
    private final RateLimiter voteLimiter;
    private final ClientAddress clients;
    private final AdminToken admin;
    private final ObjectMapper json;
    private final BodyLimitFilter voteBody;
    private final BodyLimitFilter anyBody;

    EdgeLimits(RateLimitProperties rateLimits, BodyLimitProperties bodyLimits, AdminToken adminToken, ObjectMapper json) {
        this.rateLimits = rateLimits;
        this.ballotTokenLimiter = new RateLimiter(rateLimits.ballotTokens(), System::nanoTime);
        this.voteLimiter = new RateLimiter(rateLimits.votes(), System::nanoTime);
        this.clients = new ClientAddress(rateLimits.trustedProxies());
        this.admin = adminToken;
        this.json = json;
        this.voteBody = new BodyLimitFilter(bodyLimits.votes().toBytes(), Problem.VOTE_TOO_LARGE);
        this.anyBody = new BodyLimitFilter(bodyLimits.other().toBytes(), Problem.REQUEST_TOO_LARGE);
    }

    public List<GatewayFilter> votes() {
        return limited(voteLimiter, voteBody);
    }

    public List<GatewayFilter> ballotTokens() {
        return limited(ballotTokenLimiter, anyBody);
    }

    public List<GatewayFilter> anyBody() {
        return List.of(anyBody);
    }

    @Scheduled(fixedDelayString = "PT1M")
    void forgetQuietClients() {
        ballotTokenLimiter.forgetQuiet();
        voteLimiter.forgetQuiet();
    }

    // The rate limit first: it is the cheaper refusal.
    private List<GatewayFilter> limited(RateLimiter limiter, BodyLimitFilter body) {
        if (!rateLimits.enabled()) {
            return List.of(body);
        }
        return List.of(new RateLimitFilter(limiter, clients, admin, json), body);
    }
}
