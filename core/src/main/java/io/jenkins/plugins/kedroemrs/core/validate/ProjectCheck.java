package io.jenkins.plugins.kedroemrs.core.validate;

import static io.jenkins.plugins.kedroemrs.core.validate.CheckResult.fail;
import static io.jenkins.plugins.kedroemrs.core.validate.CheckResult.skipped;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.image.ContainerBuilder;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.core.util.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code validate-image --project-check}: the Kedro project checked inside its image, without Spark and without data.
 * The image runs once with a container engine (docker or podman), with its own user and its custom Python, the way
 * the job's driver starts: the project imported from the installed wheel, the session created for the env with the
 * conf archive as {@code --conf-source}, the pipelines resolved from the registry, and every dataset they use
 * constructed (not loaded). Four checks come back: {@code project:import}, {@code project:params},
 * {@code project:pipelines}, {@code project:catalog}.
 *
 * <p>The container has no network ({@code --network none}), a read-only file system but for a {@code /tmp} in memory,
 * no AWS credentials and no mount: the check script and the conf archive go in on the command line and stdin (so a
 * remote engine, {@code DOCKER_HOST}, works too), and nothing is written outside the container, which is removed. It
 * runs under a time limit. Without an engine the four checks are SKIPPED with the reason, never passed.
 */
public final class ProjectCheck {
    public static final List<String> NAMES = List.of("project:import", "project:params", "project:pipelines", "project:catalog");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);
    static final String MARKER = "KEDRO_EMRS_PROJECT_CHECK ";
    static final String SCRIPT = "project_check.py";

    /**
     * What to check.
     *
     * @param image       the image (local to the engine, or pulled by it)
     * @param python      the image's custom interpreter, e.g. {@code /usr/.pyenv/versions/3.11.9/bin/python}
     * @param packageName the project's Python package
     * @param confArchive {@code conf-<package>.tar.gz} from the packaging
     * @param env         {@code kedro run --env}, or {@code null}
     * @param pipelines   {@code --pipelines}; empty: {@code __default__}
     * @param params      {@code --params} as {@code key=value} (runtime parameters the catalog may interpolate)
     * @param timeout     the longest the run may take
     */
    public record Request(String image, String python, String packageName, Path confArchive, String env, List<String> pipelines,
            List<String> params, Duration timeout) {
        public Request {
            pipelines = pipelines == null ? List.of() : List.copyOf(pipelines);
            params = params == null ? List.of() : List.copyOf(params);
            timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        }
    }

    /** What {@link #show} found, and how long it took. */
    public record Outcome(List<CheckResult> checks, long durationMillis) {
    }

    private final ProgressListener listener;
    private final ProcessRunner runner;
    private final ContainerBuilder engine;
    private final String executable;
    private final Map<String, String> environment;

    /**
     * @param engine      {@link ContainerBuilder#DOCKER} or {@link ContainerBuilder#PODMAN}
     * @param executable  its executable, or {@code null} for the engine's name on PATH
     * @param environment for every call of it (e.g. {@code DOCKER_HOST})
     */
    public ProjectCheck(ProgressListener listener, ContainerBuilder engine, String executable, Map<String, String> environment) {
        this(listener, engine, executable, environment, null);
    }

    /**
     * @param engine          {@code null}: docker, else podman, whichever is on the PATH first looked at
     * @param baseEnvironment the environment the engine runs in and is looked up on, as {@code ImageBuilder}'s (a
     *                        build step's: PATH, {@code DOCKER_HOST} of {@code withDockerServer}, …); {@code null}: this
     *                        process's
     */
    public ProjectCheck(ProgressListener listener, ContainerBuilder engine, String executable, Map<String, String> environment,
            Map<String, String> baseEnvironment) {
        if (engine != null && !engine.usesDockerfile()) {
            throw new IllegalArgumentException("the project check runs the image with docker or podman, not " + engine);
        }
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.runner = new ProcessRunner(this.listener, baseEnvironment);
        this.engine = engine;
        this.executable = executable == null || executable.isBlank() ? null : executable;
        this.environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    /**
     * {@link #run}, announced, with its table and the time it took in the progress (validate-image's and
     * emrsValidateImage's).
     */
    public Outcome show(Request r) throws IOException, InterruptedException {
        long started = System.nanoTime();
        ContainerBuilder kind = engine();
        if (kind != null) {
            listener.phase("Checking the Kedro project " + r.packageName() + " inside " + r.image() + " with " + kind.id());
        }
        List<CheckResult> checks = run(kind, r);
        CheckResult.table(checks).forEach(listener::info);
        long millis = (System.nanoTime() - started) / 1_000_000;
        listener.info(String.format(Locale.ROOT, "The project check took %.1f s", millis / 1000.0));
        return new Outcome(checks, millis);
    }

    /** The engine: the one given, else docker or podman, whichever is on PATH; {@code null} when none is. */
    private ContainerBuilder engine() {
        if (engine != null) {
            return engine;
        }
        for (ContainerBuilder b : List.of(ContainerBuilder.DOCKER, ContainerBuilder.PODMAN)) {
            if (runner.findExecutable(b.defaultExecutable()).isPresent()) {
                return b;
            }
        }
        return null;
    }

    /** The four checks; SKIPPED with the reason when no engine runs here. */
    public List<CheckResult> run(Request r) throws IOException, InterruptedException {
        return run(engine(), r);
    }

    private List<CheckResult> run(ContainerBuilder kind, Request r) throws IOException, InterruptedException {
        if (kind == null) {
            return skippedAll("no container engine here (neither docker nor podman on PATH): the project check runs the image "
                    + "once; run it where one is, or leave the project check out");
        }
        String executable = this.executable != null ? this.executable : kind.defaultExecutable();
        Optional<Path> exe = runner.findExecutable(executable);
        if (exe.isEmpty()) {
            return skippedAll("no container engine here (no " + executable + " on PATH): the project check runs the image "
                    + "once; install docker or podman on this agent, or leave the project check out");
        }
        CommandResult version = runner.run(Command.of(exe.get().toString(), "version").env(environment).captureStdout().quiet()
                .timeout(Duration.ofSeconds(30)).label(kind.id()).build());
        if (!version.succeeded()) {
            return skippedAll("the container engine does not answer (`" + executable + " version` exited " + version.exitCode()
                    + (version.stderrTail().isEmpty() ? "" : ": " + version.stderrTail().get(version.stderrTail().size() - 1))
                    + "): start it, or leave the project check out");
        }
        // Named, so that a run stopped by the time limit or an abort is removed, not left running (the client's end
        // does not stop the container).
        String name = "kedro-emrs-project-check-" + UUID.randomUUID().toString().substring(0, 12);
        List<String> args = new ArrayList<>(List.of(exe.get().toString(), "run", "--rm", "-i", "--name", name, "--network", "none",
                "--read-only", "--tmpfs", "/tmp", "--workdir", "/tmp", "--env", "HOME=/tmp", "--env", "KEDRO_DISABLE_TELEMETRY=1",
                "--env", "PYTHONDONTWRITEBYTECODE=1", "--entrypoint", r.python()));
        if (kind == ContainerBuilder.PODMAN && ImageReference.parse(r.image(), "image").isLoopback()) {
            args.add("--tls-verify=false"); // a plain-HTTP registry on this machine, which docker takes as is
        }
        args.addAll(List.of(r.image(), "-c", Resources.text(ProjectCheck.class, SCRIPT), "--package", r.packageName()));
        if (r.env() != null && !r.env().isBlank()) {
            args.addAll(List.of("--env", r.env()));
        }
        r.pipelines().forEach(p -> args.addAll(List.of("--pipeline", p)));
        r.params().forEach(p -> args.addAll(List.of("--param", p)));
        CommandResult result;
        try {
            result = runner.run(Command.of(args).env(environment).stdin(Files.readAllBytes(r.confArchive())).captureStdout()
                    .quiet().timeout(r.timeout()).label(kind.id() + " run").build());
        } catch (EngineException e) {
            // Did not start, or did not finish in time (the runner stopped the client): the project was not checked.
            remove(kind, exe.get(), name);
            return withFirst(fail(NAMES.get(0), "the image did not run the project check: " + e.getMessage()),
                    "the project check did not run to the end");
        } catch (InterruptedException e) {
            remove(kind, exe.get(), name);
            throw e;
        }
        return parse(result);
    }

    /** Removes the check's container if it is still there (after a time limit or an abort). */
    private void remove(ContainerBuilder kind, Path exe, String name) throws InterruptedException {
        CommandResult rm = runner.run(Command.of(exe.toString(), "rm", "--force", name).env(environment).captureStdout().quiet()
                .timeout(Duration.ofSeconds(30)).label(kind.id() + " rm").build());
        if (!rm.succeeded() && rm.stderrTail().stream().noneMatch(l -> l.toLowerCase(Locale.ROOT).contains("no such container"))) {
            throw new EngineException("The project check's container " + name + " could not be removed: "
                    + String.join(" ", rm.stderrTail()) + ". Remove it with `" + exe + " rm --force " + name + "`");
        }
    }

    /** The script's report, in {@link #NAMES} order; a check it did not report is SKIPPED. */
    static List<CheckResult> parse(CommandResult result) {
        String line = result.stdout().lines().filter(l -> l.startsWith(MARKER)).reduce((a, b) -> b).orElse(null);
        if (line == null) {
            String tail = String.join(" | ", result.outputTail().subList(Math.max(0, result.outputTail().size() - 5),
                    result.outputTail().size()));
            return withFirst(fail(NAMES.get(0), "the image's Python did not run the project check (exit code " + result.exitCode()
                    + "): " + tail), "the project check did not report");
        }
        Map<String, CheckResult> byName = new LinkedHashMap<>();
        try {
            for (JsonNode c : Json.MAPPER.readTree(line.substring(MARKER.length()))) {
                String name = c.path("name").asText();
                if (NAMES.contains(name)) {
                    byName.put(name, new CheckResult(name, CheckStatus.valueOf(c.path("status").asText().toUpperCase(Locale.ROOT)),
                            c.path("reason").asText()));
                }
            }
        } catch (JacksonException | IllegalArgumentException e) {
            return withFirst(fail(NAMES.get(0), "the project check's report is not readable: " + e.getMessage()),
                    "the project check's report is not readable");
        }
        List<CheckResult> out = new ArrayList<>();
        for (String name : NAMES) {
            out.add(byName.getOrDefault(name, skipped(name, "the project check did not report it")));
        }
        return out;
    }

    /** Every check SKIPPED with {@code reason}. */
    public static List<CheckResult> skippedAll(String reason) {
        return NAMES.stream().map(n -> skipped(n, reason)).toList();
    }

    private static List<CheckResult> withFirst(CheckResult first, String restReason) {
        List<CheckResult> out = new ArrayList<>(List.of(first));
        NAMES.subList(1, NAMES.size()).forEach(n -> out.add(skipped(n, restReason)));
        return out;
    }
}
