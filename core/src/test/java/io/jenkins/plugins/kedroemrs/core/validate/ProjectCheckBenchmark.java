package io.jenkins.plugins.kedroemrs.core.validate;

import io.jenkins.plugins.kedroemrs.core.image.ContainerBuilder;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Times {@code validate-image --project-check}'s run of the image against the floor it cannot go under: starting the
 * same container with the same Python doing nothing ({@code python -c pass}), interleaved, on the sample project's
 * image built as {@link ProjectCheckTest} builds it (the EMR-shaped base, the tests' dockerd). Goal: under 10 s. Not a
 * test: {@code scripts/bench project-check [runs]}.
 */
public final class ProjectCheckBenchmark {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path work = Files.createTempDirectory("kedro-emrs-project-check-bench");
        ProjectCheckTest.engine = ContainerEngine.docker();
        ProjectCheckTest.project = SampleKedroProject.create(work);
        ProjectCheckTest.packaged = ProjectCheckTest.pack(ProjectCheckTest.project, work.resolve("dist"));
        String image = ProjectCheckTest.build(ProjectCheckTest.packaged, "bench");
        ContainerEngine engine = ProjectCheckTest.engine;
        ProjectCheck check = new ProjectCheck(null, ContainerBuilder.DOCKER, engine.executable(), engine.environment());
        ProjectCheck.Request request = new ProjectCheck.Request(image, ProjectCheckTest.PYTHON, SampleKedroProject.PACKAGE,
                ProjectCheckTest.packaged.confArchive().file(), "emr", List.of("greet"), ProjectCheckTest.PARAMS, null);
        check.run(request); // the image is local now: neither side pulls
        List<Long> floor = new ArrayList<>();
        List<Long> checked = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            CommandResult r = engine.run("run", "--rm", "--network", "none", "--read-only", "--tmpfs", "/tmp", "--entrypoint",
                    ProjectCheckTest.PYTHON, image, "-c", "pass");
            floor.add((System.nanoTime() - t0) / 1_000_000);
            if (r.exitCode() != 0) {
                throw new IllegalStateException("the bare run failed: " + r.outputTail());
            }
            t0 = System.nanoTime();
            List<CheckResult> results = check.run(request);
            checked.add((System.nanoTime() - t0) / 1_000_000);
            if (results.stream().anyMatch(c -> c.status() != CheckStatus.PASS)) {
                throw new IllegalStateException("the project check did not pass: " + CheckResult.table(results));
            }
        }
        System.out.printf(Locale.ROOT, "Project check of %s (%d runs, interleaved)%n", image, runs);
        System.out.println("| run | median | p95 |");
        System.out.println("| --- | ---: | ---: |");
        System.out.printf(Locale.ROOT, "| the container with `python -c pass` (the floor) | %.2f s | %.2f s |%n", pct(floor, 50), pct(floor, 95));
        System.out.printf(Locale.ROOT, "| the project check (import, session, pipelines, catalog) | %.2f s | %.2f s |%n", pct(checked, 50),
                pct(checked, 95));
        System.out.printf(Locale.ROOT, "ratio check / floor (medians): %.2f%n", pct(checked, 50) / pct(floor, 50));
        System.exit(0); // the tests' dockerd stops with this JVM
    }

    static double pct(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1000.0;
    }
}
