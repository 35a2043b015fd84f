package io.jenkins.plugins.kedroemrs.jenkins;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.Secret;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import io.jenkins.plugins.kedroemrs.core.aws.EcrAuthorization;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryAuth;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsFields;
import java.io.Serializable;
import java.time.Instant;

/**
 * How a step logs in to a registry, decided on the controller and sent to the agent that reads the image
 * ({@code emrsValidateImage}) or pushes it ({@code emrsBuildImage}). Only a registry login crosses the channel, never
 * AWS keys:
 *
 * <ul>
 *   <li>a username/password credential ({@code registryCredentialsId}) for any registry: its username and password;</li>
 *   <li>an ECR image: the controller resolves the step's AWS credentials and calls GetAuthorizationToken; the agent
 *       gets the registry password it returns, which works for 12 hours and for pulling from that registry only;</li>
 *   <li>otherwise anonymous.</li>
 * </ul>
 * The password is a {@link Secret} (the channel to an agent is encrypted); {@link #toString()} never shows it.
 */
public final class RegistryLogin implements Serializable {
    private static final long serialVersionUID = 1L;
    static final RegistryLogin ANONYMOUS = new RegistryLogin(null, null, null, false, 0);

    private final String registry;
    private final String username;
    private final Secret password;
    private final boolean ecr;
    private final long expiresAtMillis;

    private RegistryLogin(String registry, String username, Secret password, boolean ecr, long expiresAtMillis) {
        this.registry = registry;
        this.username = username;
        this.password = password;
        this.ecr = ecr;
        this.expiresAtMillis = expiresAtMillis;
    }

    /**
     * The login for {@code ecrImage} (when the image is in ECR, else {@code null}) with the step's fields: a
     * registry credential when one is named, else ECR's for an ECR image, else none.
     */
    public static RegistryLogin forStep(Run<?, ?> run, @CheckForNull String registryCredentialsId, @CheckForNull ImageReference ecrImage,
            AwsFields aws, @CheckForNull EnvVars env, TaskListener listener) {
        String id = registryCredentialsId == null || registryCredentialsId.isBlank() ? null : registryCredentialsId.strip();
        if (id != null) {
            StandardUsernamePasswordCredentials c = CredentialsProvider.findCredentialById(id, StandardUsernamePasswordCredentials.class,
                    run);
            if (c == null) {
                throw new InvalidInputException("registryCredentialsId", "no username/password credentials with id \"" + id
                        + "\" are visible to " + run.getParent().getFullName(), "Add them under Manage Jenkins » Credentials "
                        + "(kind \"Username with password\") in a scope this job sees");
            }
            CredentialsProvider.track(run, c);
            return new RegistryLogin(null, c.getUsername(), c.getPassword(), false, 0);
        }
        if (ecrImage == null) {
            return ANONYMOUS;
        }
        // GetAuthorizationToken is regional: the registry's region, unless the step names one.
        AwsSettings settings = aws.withRegionIfUnset(ecrImage.ecrRegion()).settings(run, env);
        try (AwsClientFactory clients = new AwsClientFactory(settings)) {
            listener.getLogger().println("[emrsValidateImage] Logging in to " + ecrImage.registry() + " with ECR GetAuthorizationToken"
                    + " (on the controller; the agent gets the registry password only)");
            return ecr(EcrAuthorization.fetch(clients.ecr(), ecrImage.ecrAccountId()));
        }
    }

    /** An ECR login fetched on the controller (GetAuthorizationToken), for the agent. */
    public static RegistryLogin ecr(EcrAuthorization login) {
        return new RegistryLogin(login.registry(), login.username(), Secret.fromString(login.password()), true,
                login.expiresAt() == null ? 0 : login.expiresAt().toEpochMilli());
    }

    /** The ECR login, on the agent; {@code null} for any other login. */
    public EcrAuthorization ecrAuthorization() {
        return ecr ? new EcrAuthorization(registry, username, Secret.toString(password),
                expiresAtMillis == 0 ? null : Instant.ofEpochMilli(expiresAtMillis)) : null;
    }

    /** The engine's login, on the agent. */
    public RegistryAuth toAuth() {
        if (username == null) {
            return RegistryAuth.anonymous();
        }
        return ecr ? RegistryAuth.ecr(ecrAuthorization()) : RegistryAuth.basic(username, Secret.toString(password));
    }

    @Override
    public String toString() {
        return username == null ? "RegistryLogin[anonymous]" : "RegistryLogin[" + (ecr ? "ecr " : "") + username + ", password=****]";
    }
}
