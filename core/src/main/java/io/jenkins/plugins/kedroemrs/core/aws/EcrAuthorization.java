package io.jenkins.plugins.kedroemrs.core.aws;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;

/**
 * A registry login from ECR's GetAuthorizationToken: user {@code AWS} and a 12-hour password. The password is for
 * {@code login --password-stdin} or an HTTP Basic header only; {@link #toString()} never shows it.
 *
 * @param registry  the registry host, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}
 * @param username  always {@code AWS} for ECR
 * @param password  the token
 * @param expiresAt when the token stops working
 */
public record EcrAuthorization(String registry, String username, String password, Instant expiresAt) {

    /** Asks ECR for a login to the default registry of the client's account (or {@code registryId}'s, when given). */
    public static EcrAuthorization fetch(EcrClient ecr, String registryId) {
        var response = registryId == null ? ecr.getAuthorizationToken()
                : ecr.getAuthorizationToken(r -> r.registryIds(registryId));
        if (response.authorizationData().isEmpty()) {
            throw new EngineException("ECR GetAuthorizationToken returned no authorization data");
        }
        AuthorizationData data = response.authorizationData().get(0);
        String decoded = new String(Base64.getDecoder().decode(data.authorizationToken()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new EngineException("ECR returned an authorization token that is not user:password");
        }
        String endpoint = data.proxyEndpoint();
        String host = endpoint == null ? null : URI.create(endpoint).getAuthority();
        return new EcrAuthorization(host, decoded.substring(0, colon), decoded.substring(colon + 1), data.expiresAt());
    }

    /** The value of an HTTP {@code Authorization} header for the registry API. */
    public String basicAuthorizationHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "EcrAuthorization[registry=" + registry + ", username=" + username + ", password=****, expiresAt=" + expiresAt + "]";
    }
}
