package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.util.Choices;

/** What builds and pushes the image on the agent: a container CLI, or Jib in this JVM. */
public enum ContainerBuilder {
    /** {@code docker build} (the legacy builder or BuildKit, see {@link BuildKitMode}) and {@code docker push}. */
    DOCKER("docker"),
    /** {@code podman build} (Buildah) and {@code podman push --digestfile}; no daemon needed. */
    PODMAN("podman"),
    /**
     * Jib ({@code jib-core}) in this JVM: the base image's layers from its registry plus layers prepared on the agent
     * (a prebuilt interpreter, wheels for the target platform, the project), pushed straight to the registry. No daemon,
     * no container, nothing run inside the image, any architecture from any agent. Its executable is the agent's
     * Python that runs pip.
     */
    JIB("jib");

    public static final String FIELD = "builder";
    private final String id;

    ContainerBuilder(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The executable run when none is configured: the builder's name (jib: {@code python3}), looked up on PATH. */
    public String defaultExecutable() {
        return this == JIB ? "python3" : id;
    }

    /** Whether the build runs a container CLI (docker, podman) with a Dockerfile, rather than Jib. */
    public boolean usesDockerfile() {
        return this != JIB;
    }

    public static ContainerBuilder parse(String text) {
        return Choices.parse(ContainerBuilder.class, ContainerBuilder::id, text, DOCKER, FIELD, "builder");
    }

    @Override
    public String toString() {
        return id;
    }
}
