package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.kedro.ConfArchive;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageRequest;
import io.jenkins.plugins.kedroemrs.core.kedro.WheelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What to package and how (package, deploy). */
final class PackageOptions {
    @Option(names = "--project-dir", paramLabel = "DIR", defaultValue = ".",
            description = "The Kedro project (the folder with pyproject.toml). Default: the current folder.")
    Path projectDir;

    @Option(names = "--python", paramLabel = "PY", defaultValue = "python3",
            description = "The project's interpreter, which builds the wheel and tells the Kedro version. Default: ${DEFAULT-VALUE}.")
    String python;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the artifacts. Default: <project>/dist.")
    Path out;

    @Option(names = "--conf-dir", paramLabel = "DIR", defaultValue = "conf",
            description = "The conf folder relative to the project (Kedro's CONF_SOURCE). Default: ${DEFAULT-VALUE}.")
    String confDir;

    @Option(names = "--conf-exclude", paramLabel = "GLOB",
            description = "Also leave this path under the conf folder out of the tarball (repeatable), e.g. 'base/secrets*.yml'.")
    List<String> confExcludes = new ArrayList<>();

    @Option(names = "--include-conf-local",
            description = "Put conf/local into the tarball too. It holds credentials: almost never what you want.")
    boolean includeConfLocal;

    @Option(names = "--wheel-builder", paramLabel = "auto|uv|build|kedro", defaultValue = "auto",
            description = "How to build the wheel. auto: uv when installed, else python -m build, else kedro package.")
    String wheelBuilder;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "20", description = "Longest the wheel build may take.")
    long timeoutMinutes;

    PackageRequest request() {
        List<String> excludes = new ArrayList<>(includeConfLocal ? List.of() : ConfArchive.DEFAULT_EXCLUDES);
        excludes.addAll(confExcludes);
        return PackageRequest.of(projectDir).withPython(python).withOutDir(out).withConfDir(confDir)
                .withConfExcludes(excludes).withWheelBuilder(WheelBuilder.parse(wheelBuilder))
                .withTimeout(Duration.ofMinutes(Cli.positive("timeout", timeoutMinutes)));
    }
}
