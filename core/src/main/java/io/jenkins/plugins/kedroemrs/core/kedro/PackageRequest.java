package io.jenkins.plugins.kedroemrs.core.kedro;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to package and how. Only {@code projectDir} is required.
 *
 * @param projectDir    the Kedro project root
 * @param python        the project's interpreter (path or name on PATH); {@code python3} by default
 * @param outDir        where the three artifacts go; the project's {@code dist/} by default
 * @param confDir       the conf folder, relative to the project (Kedro's CONF_SOURCE); {@code conf} by default
 * @param confExcludes  globs under the conf folder left out of the tarball; {@code [local]} by default
 * @param wheelBuilder  how to build the wheel
 * @param timeout       the longest the wheel build may take
 */
public record PackageRequest(Path projectDir, String python, Path outDir, String confDir, List<String> confExcludes,
        WheelBuilder wheelBuilder, Duration timeout) {

    public PackageRequest {
        Objects.requireNonNull(projectDir, "projectDir");
        python = python == null || python.isBlank() ? "python3" : python;
        confDir = confDir == null || confDir.isBlank() ? "conf" : confDir;
        confExcludes = confExcludes == null ? ConfArchive.DEFAULT_EXCLUDES : List.copyOf(confExcludes);
        wheelBuilder = wheelBuilder == null ? WheelBuilder.AUTO : wheelBuilder;
        timeout = timeout == null ? Duration.ofMinutes(20) : timeout;
    }

    /** A request with every default for the project in {@code projectDir}. */
    public static PackageRequest of(Path projectDir) {
        return new PackageRequest(projectDir, null, null, null, null, null, null);
    }

    public PackageRequest withPython(String value) {
        return new PackageRequest(projectDir, value, outDir, confDir, confExcludes, wheelBuilder, timeout);
    }

    public PackageRequest withOutDir(Path value) {
        return new PackageRequest(projectDir, python, value, confDir, confExcludes, wheelBuilder, timeout);
    }

    public PackageRequest withConfDir(String value) {
        return new PackageRequest(projectDir, python, outDir, value, confExcludes, wheelBuilder, timeout);
    }

    public PackageRequest withConfExcludes(List<String> value) {
        return new PackageRequest(projectDir, python, outDir, confDir, value, wheelBuilder, timeout);
    }

    public PackageRequest withWheelBuilder(WheelBuilder value) {
        return new PackageRequest(projectDir, python, outDir, confDir, confExcludes, value, timeout);
    }

    public PackageRequest withTimeout(Duration value) {
        return new PackageRequest(projectDir, python, outDir, confDir, confExcludes, wheelBuilder, value);
    }
}
