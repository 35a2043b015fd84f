package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.kedro.PackageOptions;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What to package and how (package, deploy): the command-line face of the engine's {@link PackageOptions}. */
final class PackagingOptions {
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

    /** The same mapping as the Jenkins step's ({@link PackageOptions}), with paths relative to the current folder. */
    PackageRequest request() {
        int minutes = Math.toIntExact(Math.min(Cli.positive("timeout", timeoutMinutes), Integer.MAX_VALUE));
        return new PackageOptions(projectDir.toString(), python, out == null ? null : out.toString(), confDir,
                String.join("\n", confExcludes), includeConfLocal, wheelBuilder, minutes).toRequest(Path.of(""));
    }
}
