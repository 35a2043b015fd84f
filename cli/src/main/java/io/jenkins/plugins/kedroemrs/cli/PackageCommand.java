package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.kedro.Artifact;
import io.jenkins.plugins.kedroemrs.core.kedro.KedroPackager;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageOptions;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageRequest;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "package", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Packages a Kedro project for EMR Serverless: the wheel, conf-<package>.tar.gz without conf/local,",
                "and the entry point script spark-submit runs. Writes kedro-emrs-package.json next to them."})
final class PackageCommand implements Callable<Integer> {

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

    @Option(names = "--json", description = "Print the result as JSON on stdout (progress stays on stderr).")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Show the build tools' output.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        // The same mapping as the Jenkins step's (PackageOptions), with paths relative to the current folder.
        int minutes = Math.toIntExact(Math.min(Cli.positive("timeout", timeoutMinutes), Integer.MAX_VALUE));
        PackageRequest request = new PackageOptions(projectDir.toString(), python, out == null ? null : out.toString(), confDir,
                String.join("\n", confExcludes), includeConfLocal, wheelBuilder, minutes).toRequest(Path.of(""));
        PackageResult result = new KedroPackager(ConsoleProgress.forStderr(verbose)).pack(request);
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(result));
        } else {
            System.out.printf("Packaged %s %s (Kedro %s, wheel built with %s) in %.1f s%n", result.projectName(),
                    result.packageVersion(), result.kedroVersion(), result.wheelBuilder(), result.durationMillis() / 1000.0);
            print("wheel", result.wheel());
            print("conf", result.confArchive());
            print("entrypoint", result.entrypoint());
            System.out.println("  result      " + result.wheel().file().resolveSibling(PackageResult.FILE_NAME));
        }
        return Main.OK;
    }

    private static void print(String label, Artifact a) {
        System.out.printf("  %-11s %s (%d bytes, sha256 %s)%n", label, a.path(), a.sizeBytes(), a.sha256());
    }
}
