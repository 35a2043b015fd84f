package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.util.Choices;
import java.util.Locale;

/** How the builder logs in to the registry it pushes to. */
public enum RegistryLoginMode {
    /** ECR's GetAuthorizationToken when the repository is in ECR ({@code <account>.dkr.ecr.<region>.amazonaws.com}), else none. */
    AUTO,
    /** Always ECR's GetAuthorizationToken (e.g. ECR behind a private DNS name). */
    ECR,
    /** No login: the agent's own registry configuration is used as it is. */
    NONE;

    public static final String FIELD = "registry-login";

    public static RegistryLoginMode parse(String text) {
        return Choices.parse(RegistryLoginMode.class, m -> m.name().toLowerCase(Locale.ROOT), text, AUTO, FIELD, "registry login");
    }
}
