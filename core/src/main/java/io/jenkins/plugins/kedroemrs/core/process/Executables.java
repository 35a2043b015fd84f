package io.jenkins.plugins.kedroemrs.core.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds an executable the way a shell does: a path is taken as is, a bare name is looked up on PATH. */
public final class Executables {
    private Executables() {
    }

    public static Optional<Path> find(String nameOrPath) {
        return find(nameOrPath, System.getenv("PATH"));
    }

    /** Like {@link #find(String)}, with the given search path (e.g. a Jenkins step's PATH) instead of this JVM's. */
    public static Optional<Path> find(String nameOrPath, String searchPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            return Optional.empty();
        }
        try {
            if (nameOrPath.contains("/") || nameOrPath.contains(File.separator)) {
                Path p = Path.of(nameOrPath).toAbsolutePath();
                return isExecutableFile(p) ? Optional.of(p) : Optional.empty();
            }
            if (searchPath == null) {
                return Optional.empty();
            }
            for (String dir : searchPath.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, nameOrPath);
                if (isExecutableFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean isExecutableFile(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
