package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
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
        if (text == null || text.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(FIELD, "unknown registry login \"" + text + "\"", "Use auto, ecr or none");
        }
    }
}
