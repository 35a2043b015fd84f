package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A temporary registry client configuration that a login writes its token into, deleted on {@link #close()}: a
 * {@code DOCKER_CONFIG} folder for docker (with no {@code credsStore}, so no credential helper keeps the token, and the
 * user's CLI plugins still found), an {@code --authfile} for podman. The user's own {@code ~/.docker/config.json} and
 * {@code auth.json} are never read or written. The folder is private to the user (0700).
 */
final class RegistryLogin implements AutoCloseable {
    private final Path dir;

    private RegistryLogin(Path dir) {
        this.dir = dir;
    }

    /**
     * @param dockerConfig the {@code DOCKER_CONFIG} the builder would use otherwise (its CLI plugins stay found), or
     *                     {@code null} for {@code ~/.docker}
     */
    static RegistryLogin create(String dockerConfig) throws IOException {
        Path dir = Files.createTempDirectory("kedro-emrs-login-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String userConfig = dockerConfig != null && !dockerConfig.isBlank() ? dockerConfig
                : Path.of(System.getProperty("user.home"), ".docker").toString();
        Json.MAPPER.writeValue(dir.resolve("config.json").toFile(),
                Map.of("auths", Map.of(), "cliPluginsExtraDirs", List.of(Path.of(userConfig, "cli-plugins").toString())));
        return new RegistryLogin(dir);
    }

    /** For --dry-run: names a folder without making it. */
    static RegistryLogin placeholder(Path dir) {
        return new RegistryLogin(dir);
    }

    Path dir() {
        return dir;
    }

    /** podman's {@code --authfile}. */
    Path authFile() {
        return dir.resolve("auth.json");
    }

    /** The environment that points the CLI at this configuration. */
    Map<String, String> environment(ContainerBuilder kind) {
        return kind == ContainerBuilder.DOCKER ? Map.of("DOCKER_CONFIG", dir.toString())
                : Map.of("REGISTRY_AUTH_FILE", authFile().toString());
    }

    @Override
    public void close() {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete the temporary registry login " + dir + "; delete it by hand", e);
        }
    }
}
