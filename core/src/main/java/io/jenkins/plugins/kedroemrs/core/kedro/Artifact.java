package io.jenkins.plugins.kedroemrs.core.kedro;

import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file the packaging produced.
 *
 * @param path      absolute path
 * @param fileName  the file's name, e.g. {@code spaceflights-0.1-py3-none-any.whl}
 * @param sizeBytes its size
 * @param sha256    lower-case hex SHA-256 of its content
 */
public record Artifact(String path, String fileName, long sizeBytes, String sha256) {

    public static Artifact of(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        return new Artifact(abs.toString(), abs.getFileName().toString(), Files.size(abs), Hashing.sha256(abs));
    }

    public Path file() {
        return Path.of(path);
    }
}
