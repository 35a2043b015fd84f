package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.util.Locale;

/** The container CLI on the agent that builds and pushes the image. */
public enum ContainerBuilder {
    /** {@code docker build} (the legacy builder or BuildKit, see {@link BuildKitMode}) and {@code docker push}. */
    DOCKER("docker"),
    /** {@code podman build} (Buildah) and {@code podman push --digestfile}; no daemon needed. */
    PODMAN("podman");

    public static final String FIELD = "builder";
    private final String id;

    ContainerBuilder(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The executable run when none is configured: the builder's name, looked up on PATH. */
    public String defaultExecutable() {
        return id;
    }

    public static ContainerBuilder parse(String text) {
        if (text == null || text.isBlank()) {
            return DOCKER;
        }
        for (ContainerBuilder b : values()) {
            if (b.id.equals(text.strip().toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new InvalidInputException(FIELD, "unknown builder \"" + text + "\"", "Use docker or podman");
    }

    @Override
    public String toString() {
        return id;
    }
}
