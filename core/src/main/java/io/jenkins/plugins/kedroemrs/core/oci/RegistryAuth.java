package io.jenkins.plugins.kedroemrs.core.oci;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.EcrAuthorization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How to log in to a registry. Anonymous registries and anonymous pulls from token registries (Docker Hub, public ECR)
 * need nothing; a username and password serve both a Basic challenge and the token service of a Bearer challenge;
 * ECR's GetAuthorizationToken login is sent as Basic on every request (ECR accepts it without a challenge round trip).
 * {@link #toString()} never shows the password.
 */
public final class RegistryAuth {
    private static final RegistryAuth ANONYMOUS = new RegistryAuth(null, null, false);

    private final String username;
    private final String password;
    private final boolean preemptive;

    private RegistryAuth(String username, String password, boolean preemptive) {
        this.username = username;
        this.password = password;
        this.preemptive = preemptive;
    }

    public static RegistryAuth anonymous() {
        return ANONYMOUS;
    }

    /** A username and password (or token) for Basic challenges and for the token service of Bearer challenges. */
    public static RegistryAuth basic(String username, String password) {
        return new RegistryAuth(username, password, false);
    }

    /** An ECR login from {@link EcrAuthorization#fetch}. */
    public static RegistryAuth ecr(EcrAuthorization login) {
        return new RegistryAuth(login.username(), login.password(), true);
    }

    /**
     * The login for {@code ref}: ECR's GetAuthorizationToken for an ECR registry (with {@code aws}'s credentials and the
     * registry's account), else anonymous.
     */
    public static RegistryAuth forImage(ImageReference ref, AwsClientFactory aws) {
        if (ref.ecrAccountId() == null || aws == null) {
            return ANONYMOUS;
        }
        return ecr(EcrAuthorization.fetch(aws.ecr(), ref.ecrAccountId()));
    }

    boolean hasCredentials() {
        return username != null;
    }

    boolean preemptive() {
        return preemptive;
    }

    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return username == null ? "RegistryAuth[anonymous]"
                : "RegistryAuth[username=" + username + ", password=****" + (preemptive ? ", ecr" : "") + "]";
    }
}
