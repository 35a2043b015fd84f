package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.kedro.Artifact;
import io.jenkins.plugins.kedroemrs.core.kedro.KedroPackager;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "package", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Build the wheel, the conf archive and the entry point.",
        description = {"Packages a Kedro project for EMR Serverless: the wheel, conf-<package>.tar.gz without conf/local,",
                "and the entry point script spark-submit runs. Writes kedro-emrs-package.json next to them."})
final class PackageCommand implements Callable<Integer> {

    @Mixin
    PackagingOptions options;

    @Option(names = "--json", description = "Print the result as JSON on stdout (progress stays on stderr).")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Show the build tools' output.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PackageResult result = new KedroPackager(ConsoleProgress.forStderr(verbose)).pack(options.request());
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(result));
        } else {
            printSummary(result, System.out);
        }
        return Main.OK;
    }

    /** The human summary of a packaging result (also deploy's first lines). */
    static void printSummary(PackageResult result, PrintStream out) {
        out.printf("Packaged %s %s (Kedro %s, wheel built with %s) in %.1f s%n", result.projectName(),
                result.packageVersion(), result.kedroVersion(), result.wheelBuilder(), result.durationMillis() / 1000.0);
        print(out, "wheel", result.wheel());
        print(out, "conf", result.confArchive());
        print(out, "entrypoint", result.entrypoint());
        out.println("  result      " + result.wheel().file().resolveSibling(PackageResult.FILE_NAME));
    }

    private static void print(PrintStream out, String label, Artifact a) {
        out.printf("  %-11s %s (%d bytes, sha256 %s)%n", label, a.path(), a.sizeBytes(), a.sha256());
    }
}
