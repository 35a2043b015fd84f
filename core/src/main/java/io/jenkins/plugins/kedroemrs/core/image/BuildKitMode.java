package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.util.Choices;

/**
 * Which of docker's two builders runs. {@code docker build} picks by {@code DOCKER_BUILDKIT}; with a docker CLI 23+ and
 * the buildx plugin BuildKit is the default, without buildx the legacy builder is. Podman ignores this.
 */
public enum BuildKitMode {
    /** Leave {@code DOCKER_BUILDKIT} as the agent has it. */
    AUTO("auto"),
    /** {@code DOCKER_BUILDKIT=1}: BuildKit (the daemon's built-in one with a 20.10 CLI, buildx with a newer CLI). */
    ON("on"),
    /** {@code DOCKER_BUILDKIT=0}: the legacy builder (deprecated by Docker, still the one without buildx). */
    OFF("off");

    public static final String FIELD = "buildkit";
    private final String id;

    BuildKitMode(String id) {
        this.id = id;
    }

    /** The value for {@code DOCKER_BUILDKIT}, or {@code null} to leave it alone. */
    public String environmentValue() {
        return switch (this) {
            case AUTO -> null;
            case ON -> "1";
            case OFF -> "0";
        };
    }

    public static BuildKitMode parse(String text) {
        return Choices.parse(BuildKitMode.class, m -> m.id, text, AUTO, FIELD, "BuildKit mode");
    }

    @Override
    public String toString() {
        return id;
    }
}
