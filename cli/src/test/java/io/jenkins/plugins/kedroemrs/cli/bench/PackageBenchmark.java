package io.jenkins.plugins.kedroemrs.cli.bench;

import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times packaging the same {@code kedro new} project with {@code kedro package} and with {@code bin/kedro-emrs package}
 * (JVM start-up included, as a user runs it), interleaved, and prints the medians and their ratios.
 * Run it with {@code scripts/bench package [runs]}; not a test.
 */
public final class PackageBenchmark {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path launcher = Path.of(System.getProperty("kedroemrs.root", ".")).resolve("bin/kedro-emrs").toAbsolutePath();
        Path python = TestPython.require();
        Path work = Files.createTempDirectory("kedro-emrs-bench");
        try {
            Path project = SampleKedroProject.create(work);
            Map<String, List<String>> contenders = new LinkedHashMap<>();
            contenders.put("kedro package", List.of(python.toString(), "-m", "kedro", "package"));
            contenders.put("kedro-emrs package (auto: uv)", List.of(launcher.toString(), "package", "--python", python.toString(),
                    "--out", work.resolve("out").toString()));
            contenders.put("kedro-emrs package --wheel-builder build", List.of(launcher.toString(), "package", "--python",
                    python.toString(), "--wheel-builder", "build", "--out", work.resolve("out").toString()));
            Map<String, List<Double>> seconds = new LinkedHashMap<>();
            contenders.keySet().forEach(k -> seconds.put(k, new ArrayList<>()));
            ProcessRunner runner = new ProcessRunner(ProgressListener.NONE);
            for (int i = -1; i < runs; i++) {
                for (Map.Entry<String, List<String>> c : contenders.entrySet()) {
                    FileTrees.deleteRecursively(project.resolve("dist"));
                    FileTrees.deleteRecursively(project.resolve("build"));
                    long t0 = System.nanoTime();
                    CommandResult r = runner.run(Command.of(c.getValue()).workingDir(project).env("KEDRO_DISABLE_TELEMETRY", "1")
                            .timeout(Duration.ofMinutes(10)).quiet().build());
                    double s = (System.nanoTime() - t0) / 1e9;
                    r.orThrow(c.getKey());
                    if (i >= 0) { // the first round warms caches for everyone and is not counted
                        seconds.get(c.getKey()).add(s);
                    }
                }
            }
            double reference = median(seconds.get("kedro package"));
            System.out.printf("%nPackaging %s (kedro new + a one-node pipeline), %d interleaved runs each, medians:%n",
                    project, runs);
            System.out.printf("%-42s %9s %9s %9s %7s%n", "command", "median s", "min s", "max s", "ratio");
            for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
                List<Double> v = e.getValue();
                System.out.printf("%-42s %9.2f %9.2f %9.2f %7.2f%n", e.getKey(), median(v),
                        v.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                        v.stream().mapToDouble(Double::doubleValue).max().orElse(0), median(v) / reference);
            }
            System.out.println("ratio = median / median of kedro package; goal <= 1.0");
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    private static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private PackageBenchmark() {
    }
}
