package io.jenkins.plugins.kedroemrs.core.kedro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.testing.RecordingProgress;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packaging a project made by the real {@code kedro new}, and running the result the way EMR Serverless does. */
class KedroPackagerTest {
    @TempDir
    static Path shared;
    static Path project;
    static Path python;

    @TempDir
    Path tmp;

    @BeforeAll
    static void createProject() throws Exception {
        python = TestPython.require();
        project = SampleKedroProject.create(shared);
    }

    private PackageResult pack(PackageRequest request) throws IOException, InterruptedException {
        return new KedroPackager(new RecordingProgress()).pack(request);
    }

    @Test
    void theEntrypointRunsTheRealPipelineFromTheWheelAndTheConfTarball() throws Exception {
        Path out = tmp.resolve("out");
        RecordingProgress progress = new RecordingProgress();
        PackageResult result = new KedroPackager(progress)
                .pack(PackageRequest.of(project).withPython(python.toString()).withOutDir(out));

        assertThat(result.packageName()).isEqualTo(SampleKedroProject.PACKAGE);
        assertThat(result.projectName()).isEqualTo(SampleKedroProject.NAME);
        assertThat(result.distributionName()).isEqualTo(SampleKedroProject.PACKAGE);
        assertThat(result.packageVersion()).isEqualTo("0.1");
        assertThat(result.kedroVersion()).isEqualTo("1.7.0");
        assertThat(result.kedroVersionSource()).isEqualTo("interpreter");
        assertThat(result.pipelineOption()).isEqualTo("--pipelines");
        assertThat(result.wheelBuilder()).isEqualTo("uv");
        assertThat(result.confExcluded()).containsExactly("local/");
        for (Artifact a : List.of(result.wheel(), result.confArchive(), result.entrypoint())) {
            assertThat(a.file()).isRegularFile().hasParent(out);
            assertThat(a.sizeBytes()).isEqualTo(Files.size(a.file()));
            assertThat(a.sha256()).isEqualTo(Hashing.sha256(a.file()));
        }
        assertThat(result.wheel().fileName()).isEqualTo("greeter-0.1-py3-none-any.whl");
        assertThat(result.confArchive().fileName()).isEqualTo("conf-greeter.tar.gz");
        assertThat(Files.readString(result.entrypoint().file()))
                .contains("from greeter.__main__ import main").contains("main(sys.argv[1:])");
        assertThat(progress.all()).contains("phase: Building the wheel with uv build --wheel")
                .contains("info: Left out of conf-greeter.tar.gz: conf/local/");

        // Install the wheel into a fresh environment and run the entry point from an empty folder with the
        // arguments an EMR job gets: the conf comes only from the tarball, the code only from the wheel.
        Path venv = tmp.resolve("venv");
        Path uv = TestPython.tool("uv");
        run(Command.of(uv.toString(), "venv", "--quiet", "--python", python.toString(), venv.toString()).build(), "uv venv");
        run(Command.of(uv.toString(), "pip", "install", "--quiet", "--python", venv.resolve("bin/python").toString(),
                result.wheel().path()).timeout(Duration.ofMinutes(10)).build(), "installing the wheel");
        Path runDir = Files.createDirectories(tmp.resolve("emr-job"));
        Path outputs = tmp.resolve("outputs");
        run(Command.of(venv.resolve("bin/python").toString(), result.entrypoint().path(), "--env", "emr", "--runner",
                "SequentialRunner", result.pipelineOption(), "greet", "--conf-source", result.confArchive().path(),
                "--params", "out_dir=" + outputs).workingDir(runDir).env("KEDRO_DISABLE_TELEMETRY", "1").build(), "the entry point");
        assertThat(outputs.resolve("greeting.txt")).hasContent("hello emr!");
    }

    @Test
    void theConfTarballNeverHoldsConfLocal() throws Exception {
        PackageResult result = pack(PackageRequest.of(project).withPython(python.toString()).withOutDir(tmp)
                .withWheelBuilder(WheelBuilder.BUILD));
        Map<String, String> entries = ConfArchiveTest.read(result.confArchive().file());
        assertThat(entries.keySet()).contains("conf/base/catalog.yml", "conf/base/parameters.yml", "conf/emr/parameters.yml")
                .noneMatch(n -> n.startsWith("conf/local"));
        assertThat(String.join("\n", entries.values())).doesNotContain(SampleKedroProject.LOCAL_SECRET);
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as("%s", f).doesNotContain(SampleKedroProject.LOCAL_SECRET);
            }
        }
    }

    @Test
    void everyWheelBuilderMakesTheSameBytesAndTheResultReadsBack() throws Exception {
        String uv = pack(PackageRequest.of(project).withPython(python.toString()).withOutDir(tmp.resolve("uv"))
                .withWheelBuilder(WheelBuilder.UV)).wheel().sha256();
        String build = pack(PackageRequest.of(project).withPython(python.toString()).withOutDir(tmp.resolve("build"))
                .withWheelBuilder(WheelBuilder.BUILD)).wheel().sha256();
        PackageResult kedro = pack(PackageRequest.of(SampleKedroProject.copy(project, tmp.resolve("copy")))
                .withPython(python.toString()).withOutDir(tmp.resolve("kedro")).withWheelBuilder(WheelBuilder.KEDRO));
        assertThat(build).isEqualTo(uv);
        assertThat(kedro.wheel().sha256()).isEqualTo(uv);
        assertThat(kedro.wheelBuilder()).isEqualTo("kedro");

        PackageResult read = PackageResult.read(tmp.resolve("kedro"));
        assertThat(read).isEqualTo(kedro);
        assertThat(read.toMap()).containsEntry("packageName", "greeter")
                .extractingByKey("wheel").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("sha256", uv);
    }

    @Test
    void aMissingInterpreterIsNamedBeforeAnythingIsWritten() {
        Path out = tmp.resolve("out");
        assertThatThrownBy(() -> pack(PackageRequest.of(project).withPython("/opt/nowhere/bin/python3.11").withOutDir(out)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("python"))
                .hasMessage("python: no executable Python interpreter at /opt/nowhere/bin/python3.11. Pass the interpreter of"
                        + " the project's environment, e.g. --python .venv/bin/python");
        assertThatThrownBy(() -> pack(PackageRequest.of(project).withPython("python-that-is-not-installed").withOutDir(out)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("`python-that-is-not-installed` is not on PATH");
        assertThat(out).doesNotExist();
    }

    @Test
    void anInterpreterThatCannotBuildIsRefusedForTheBuilderAskedFor() throws Exception {
        Path bare = tmp.resolve("bare");
        run(Command.of(python.toString(), "-m", "venv", "--without-pip", bare.toString()).build(), "venv");
        String py = bare.resolve("bin/python").toString();
        assertThatThrownBy(() -> pack(PackageRequest.of(project).withPython(py).withOutDir(tmp.resolve("o"))
                .withWheelBuilder(WheelBuilder.BUILD)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("wheel-builder"))
                .hasMessageContaining("cannot run `python -m build`").hasMessageContaining("pip install build");
        assertThatThrownBy(() -> pack(PackageRequest.of(project).withPython(py).withOutDir(tmp.resolve("o"))
                .withWheelBuilder(WheelBuilder.KEDRO)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has no Kedro, so `kedro package` cannot run");
        assertThat(tmp.resolve("o")).doesNotExist();
    }

    @Test
    void aFailingBuildShowsTheTailOfItsStderrAndLeavesNoArtifacts() throws Exception {
        Path broken = SampleKedroProject.copy(project, tmp.resolve("broken"));
        Path pyproject = broken.resolve("pyproject.toml");
        Files.writeString(pyproject, Files.readString(pyproject)
                .replace("build-backend = \"setuptools.build_meta\"", "build-backend = \"no_such_backend_4711\""));
        Path out = tmp.resolve("out");
        assertThatThrownBy(() -> pack(PackageRequest.of(broken).withPython(python.toString()).withOutDir(out)
                .withWheelBuilder(WheelBuilder.BUILD)))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("Building the wheel of greeter failed: `" + python + " -m build --wheel")
                .hasMessageContaining("of its stderr:")
                .hasMessageContaining("no_such_backend_4711");
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left).isEmpty();
        }
    }

    private static CommandResult run(Command c, String what) throws InterruptedException {
        return new ProcessRunner(ProgressListener.NONE).run(c).orThrow(what);
    }

    /** As a Jenkins step runs it: the interpreter found on the step's PATH (not the JVM's), results as env variables. */
    @Test
    void theStepEnvironmentPicksTheInterpreterAndTheResultBecomesEnvironmentVariables() throws Exception {
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("PATH", python.getParent() + java.io.File.pathSeparator + System.getenv("PATH"));
        PackageRequest request = new PackageOptions(null, python.getFileName().toString(), "out", null, null, false, "build", 0)
                .toRequest(project);
        PackageResult r = new KedroPackager(new RecordingProgress(), env).pack(request.withOutDir(tmp.resolve("out")));
        assertThat(r.wheelBuilder()).isEqualTo("build");
        java.util.Map<String, String> vars = r.toEnvironment();
        assertThat(vars).containsEntry("KEDRO_WHEEL", r.wheel().path())
                .containsEntry("KEDRO_CONF_ARCHIVE", r.confArchive().path())
                .containsEntry("KEDRO_ENTRYPOINT", r.entrypoint().path())
                .containsEntry("KEDRO_WHEEL_SHA256", r.wheel().sha256())
                .containsEntry("KEDRO_PACKAGE_NAME", "greeter")
                .containsEntry("KEDRO_PACKAGE_RESULT", tmp.resolve("out").resolve(PackageResult.FILE_NAME).toString());
        assertThat(PackageResult.read(Path.of(vars.get("KEDRO_PACKAGE_RESULT")))).isEqualTo(r);
    }
}
