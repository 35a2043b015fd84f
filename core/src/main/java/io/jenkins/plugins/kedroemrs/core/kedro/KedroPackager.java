package io.jenkins.plugins.kedroemrs.core.kedro;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import io.jenkins.plugins.kedroemrs.core.util.Reproducible;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code kedroPackage}: turns a Kedro project into the three things EMR Serverless needs — the wheel, the conf tarball
 * without credentials, and the entry point script — and describes them in a {@link PackageResult}.
 *
 * <p>Everything that can be wrong with the input (not a Kedro project, no package_name, missing interpreter, a bad
 * exclusion pattern, a symbolic link out of conf/) is found before the build starts and before anything is written.
 */
public final class KedroPackager {
    private final ProgressListener listener;
    private final ProcessRunner runner;

    public KedroPackager(ProgressListener listener) {
        this(listener, null);
    }

    /**
     * A packager whose child processes (the interpreter probe, uv, build, kedro) run in {@code environment} instead of
     * this JVM's environment, and whose bare command names are looked up on that environment's PATH. The Jenkins step
     * passes the step's environment. {@code null} keeps the JVM's environment.
     */
    public KedroPackager(ProgressListener listener, Map<String, String> environment) {
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.runner = new ProcessRunner(this.listener, environment);
    }

    public PackageResult pack(PackageRequest request) throws IOException, InterruptedException {
        long started = System.nanoTime();
        listener.phase("Reading the Kedro project");
        KedroProject project = KedroProject.load(request.projectDir());
        Path confDir = project.dir().resolve(request.confDir()).normalize();
        if (!Files.isDirectory(confDir)) {
            throw new InvalidInputException("conf-dir", "the conf folder " + confDir + " does not exist",
                    "Pass the folder Kedro reads configuration from (CONF_SOURCE in settings.py), relative to the project");
        }
        ConfArchive.Plan confPlan = new ConfArchive(confDir, request.confExcludes()).plan();
        PythonInterpreter python = PythonInterpreter.probe(request.python(), runner);
        WheelBuilder builder = choose(request.wheelBuilder(), python);
        listener.info("Project " + project.projectName() + " (package " + project.packageName() + "), Python "
                + python.version() + " at " + python.path() + ", Kedro "
                + (python.kedroVersion() != null ? python.kedroVersion() : "not installed in that interpreter"));

        Path outDir = (request.outDir() != null ? request.outDir() : project.dir().resolve("dist")).toAbsolutePath().normalize();
        Files.createDirectories(outDir);

        listener.phase("Building the wheel with " + describe(builder));
        Path wheel = buildWheel(builder, project, python, outDir, request);
        WheelInfo wheelInfo = WheelInfo.read(wheel, project.packageName());

        listener.phase("Writing the conf archive");
        Path confTarball = outDir.resolve("conf-" + project.packageName() + ".tar.gz");
        writeAtomically(confTarball, tmp -> ConfArchive.write(confPlan, tmp));
        if (!confPlan.excluded().isEmpty()) {
            listener.info("Left out of " + confTarball.getFileName() + ": conf/" + String.join(", conf/", confPlan.excluded()));
        }
        for (String c : confPlan.credentialsLike()) {
            listener.warn("conf/" + c + " looks like credentials and goes into " + confTarball.getFileName()
                    + " and from there into the image: keep secrets in conf/local or a secrets manager, or exclude it with --conf-exclude " + c);
        }

        String kedroVersion = python.kedroVersion() != null ? python.kedroVersion() : project.kedroInitVersion();
        String kedroSource = python.kedroVersion() != null ? "interpreter" : "pyproject";
        if (kedroVersion == null) {
            listener.warn("Kedro's version is unknown (not installed in " + python.path()
                    + ", no kedro_init_version in pyproject.toml); later steps assume Kedro 1.x");
        }
        Path entrypoint = outDir.resolve(EntrypointScript.fileName(project.packageName()));
        String script = EntrypointScript.render(project, kedroVersion);
        writeAtomically(entrypoint, tmp -> Files.writeString(tmp, script, StandardCharsets.UTF_8));

        PackageResult result = new PackageResult(project.projectName(), project.packageName(), wheelInfo.name(),
                wheelInfo.version(), kedroVersion, kedroSource, python.version(), builder.id(), Artifact.of(wheel),
                Artifact.of(confTarball), Artifact.of(entrypoint), confPlan.excluded(),
                (System.nanoTime() - started) / 1_000_000L);
        result.write(outDir.resolve(PackageResult.FILE_NAME));
        for (Artifact a : List.of(result.wheel(), result.confArchive(), result.entrypoint())) {
            listener.info(String.format("%-45s %9d bytes  sha256:%s", a.fileName(), a.sizeBytes(), a.sha256()));
        }
        return result;
    }

    private WheelBuilder choose(WheelBuilder asked, PythonInterpreter python) {
        Optional<Path> uv = findUv(python, runner);
        switch (asked) {
            case UV -> {
                if (uv.isEmpty()) {
                    throw new InvalidInputException("wheel-builder", "uv is not installed (not next to " + python.path()
                            + " nor on PATH)", "Install uv (pip install uv) or use --wheel-builder build");
                }
                return WheelBuilder.UV;
            }
            case BUILD -> {
                if (!python.hasBuild()) {
                    throw new InvalidInputException("wheel-builder", python.path() + " cannot run `python -m build`",
                            "Install it into that environment (pip install build) or use --wheel-builder uv");
                }
                return WheelBuilder.BUILD;
            }
            case KEDRO -> {
                if (python.kedroVersion() == null) {
                    throw new InvalidInputException("wheel-builder", python.path() + " has no Kedro, so `kedro package` cannot run",
                            "Pass --python with the project's environment, or use --wheel-builder build");
                }
                return WheelBuilder.KEDRO;
            }
            default -> {
                if (uv.isPresent()) {
                    return WheelBuilder.UV;
                }
                if (python.hasBuild()) {
                    return WheelBuilder.BUILD;
                }
                if (python.kedroVersion() != null) {
                    return WheelBuilder.KEDRO;
                }
                throw new InvalidInputException("python", python.path() + " can build no wheel: it has neither the build"
                        + " module nor Kedro, and uv is not installed", "Install build (pip install build) into that environment,"
                        + " or pass --python with the project's own environment");
            }
        }
    }

    private static Optional<Path> findUv(PythonInterpreter python, ProcessRunner runner) {
        Path sibling = python.path().getParent() == null ? null : python.path().getParent().resolve("uv");
        if (sibling != null && Files.isExecutable(sibling)) {
            return Optional.of(sibling);
        }
        return runner.findExecutable("uv");
    }

    private static String describe(WheelBuilder b) {
        return switch (b) {
            case UV -> "uv build --wheel";
            case BUILD -> "python -m build --wheel";
            case KEDRO -> "kedro package";
            case AUTO -> "auto";
        };
    }

    private Path buildWheel(WheelBuilder builder, KedroProject project, PythonInterpreter python, Path outDir,
            PackageRequest request) throws IOException, InterruptedException {
        // A fixed SOURCE_DATE_EPOCH makes setuptools/hatch/flit write the same wheel bytes for the same sources.
        Map<String, String> env = Map.of("KEDRO_DISABLE_TELEMETRY", "1", "DO_NOT_TRACK", "1",
                "SOURCE_DATE_EPOCH", Long.toString(Reproducible.epochSeconds()));
        if (builder == WheelBuilder.KEDRO) {
            return kedroPackage(project, python, outDir, request, env);
        }
        Path staging = Files.createTempDirectory(outDir, ".wheel-");
        try {
            List<String> args = builder == WheelBuilder.UV
                    ? List.of(findUv(python, runner).orElseThrow().toString(), "build", "--wheel", "--no-progress", "--color", "never",
                            "--python", python.path().toString(), "--out-dir", staging.toString(), project.buildDir().toString())
                    : List.of(python.path().toString(), "-m", "build", "--wheel", "--outdir", staging.toString(),
                            project.buildDir().toString());
            runner.run(Command.of(args).label(builder == WheelBuilder.UV ? "uv build" : "python -m build")
                    .workingDir(project.buildDir()).env(env).timeout(request.timeout()).build())
                    .orThrow("Building the wheel of " + project.projectName());
            Path built = singleWheel(staging);
            Path target = outDir.resolve(built.getFileName());
            Files.move(built, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            FileTrees.deleteRecursively(staging);
        }
    }

    /** Runs Kedro's own command and takes the wheel it wrote into dist/ (its conf tarball is not used). */
    private Path kedroPackage(KedroProject project, PythonInterpreter python, Path outDir, PackageRequest request,
            Map<String, String> env) throws IOException, InterruptedException {
        Path kedroDist = project.buildDir().resolve(project.buildDir().equals(project.dir()) ? "dist" : "../dist").normalize();
        Map<String, FileTime> before = wheelsIn(kedroDist);
        runner.run(Command.of(python.path().toString(), "-m", "kedro", "package").label("kedro package")
                .workingDir(project.dir()).env(env).timeout(request.timeout()).build())
                .orThrow("kedro package of " + project.projectName());
        List<Path> fresh = new ArrayList<>();
        wheelsIn(kedroDist).forEach((name, time) -> {
            if (!time.equals(before.get(name))) {
                fresh.add(kedroDist.resolve(name));
            }
        });
        if (fresh.size() != 1) {
            throw new EngineException("kedro package finished but " + fresh.size() + " new wheels appeared in " + kedroDist
                    + " (expected one): " + fresh);
        }
        Path wheel = fresh.get(0);
        if (!kedroDist.equals(outDir)) {
            listener.warn("kedro package also wrote its own " + kedroDist.resolve("conf-" + project.packageName() + ".tar.gz")
                    + ", which keeps conf/local files other than *.yml: deploy the one in " + outDir);
            Path target = outDir.resolve(wheel.getFileName());
            Files.copy(wheel, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
        return wheel;
    }

    private static Map<String, FileTime> wheelsIn(Path dir) throws IOException {
        Map<String, FileTime> out = new HashMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".whl")).toList()) {
                    out.put(p.getFileName().toString(), Files.getLastModifiedTime(p));
                }
            }
        }
        return out;
    }

    private static Path singleWheel(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> wheels = s.filter(p -> p.getFileName().toString().endsWith(".whl")).toList();
            if (wheels.size() != 1) {
                throw new EngineException("The wheel build finished but left " + wheels.size() + " wheels (expected one) in " + dir);
            }
            return wheels.get(0);
        }
    }

    @FunctionalInterface
    private interface FileWriter {
        void write(Path target) throws IOException;
    }

    /** Writes next to the target and renames, so a reader never sees half a file and a failure leaves the old one. */
    private static void writeAtomically(Path target, FileWriter writer) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            writer.write(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
