package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.util.Choices;

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
        return Choices.parse(ContainerBuilder.class, ContainerBuilder::id, text, DOCKER, FIELD, "builder");
    }

    @Override
    public String toString() {
        return id;
    }
}
