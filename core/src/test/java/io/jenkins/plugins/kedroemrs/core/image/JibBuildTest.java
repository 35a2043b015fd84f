package io.jenkins.plugins.kedroemrs.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.kedro.KedroPackager;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageRequest;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryAuth;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.FreePorts;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.RecordingProgress;
import io.jenkins.plugins.kedroemrs.core.testing.RegistryBlobs;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestImages;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import io.jenkins.plugins.kedroemrs.core.validate.ImageValidator;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationReport;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builder jib with real parts: a {@code kedro new} project packaged by the engine, the EMR-shaped base as a two-platform
 * index in a real registry ({@link TestImages#emrBaseIndex}), interpreters for both architectures, the project's
 * dependencies as wheels from PyPI for each platform, pushed by Jib. The amd64 image passes validate-image and runs the
 * project's entry point in a real Docker engine (so the packages installed for the platform, not the agent, import);
 * the arm64 one, built on this x86 machine, passes validate-image for ARM64. An unchanged rebuild pushes no blob and
 * gives the same digest; a code-only change pushes the project layer, the config and the manifest.
 */
class JibBuildTest {
    static final String RELEASE = "emr-7.1.0";
    static final String PYTHON = "/usr/.pyenv/versions/" + TestImages.PYTHON_VERSION + "/bin/python";

    @TempDir
    static Path shared;
    static Path project;
    static LocalRegistry registry;
    static String base;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        TestPython.require();
        registry = LocalRegistry.shared();
        base = TestImages.emrBaseIndex(registry, RELEASE);
        project = SampleKedroProject.create(shared);
    }

    static PackageResult pack(Path projectDir, Path out) throws Exception {
        return new KedroPackager(null).pack(PackageRequest.of(projectDir).withPython(TestPython.path().toString()).withOutDir(out));
    }

    static ImageRequest.Builder request(PackageResult pr, ImageReference repo, Architecture arch) throws Exception {
        return ImageRequest.builder(pr, repo).builder(ContainerBuilder.JIB).executable(TestPython.path().toString())
                .architecture(arch).releaseLabel(RELEASE).baseImage(base)
                .python(PythonSetup.prebuilt(TestImages.PYTHON_VERSION, TestImages.pythonTarball(arch).toString()))
                .labels(Map.of("org.opencontainers.image.revision", "0123abc"));
    }

    static ValidationReport validate(ImageResult built, Architecture arch, PackageResult pr) throws Exception {
        return new ImageValidator(new RecordingProgress()).validate(ValidationRequest.of(built.image()).withReleaseLabel(RELEASE)
                .withArchitecture(arch.name()).withPython(built.pythonPath()).withPackage(pr.packageName(), pr.packageVersion()),
                RegistryAuth.anonymous());
    }

    @Test
    void anAmd64ImageValidatesRunsItsPipelineAndRebuildsToTheSameDigestOrJustTheProjectLayer() throws Exception {
        ContainerEngine engine = ContainerEngine.docker();
        ImageReference repo = ImageReference.parse(registry.host() + "/kedro/jib-amd64");
        Path copy = SampleKedroProject.copy(project, tmp.resolve("project"));
        PackageResult first = pack(copy, tmp.resolve("dist1"));

        RecordingProgress progress = new RecordingProgress();
        ImageResult built = new ImageBuilder(progress, null).build(request(first, repo, Architecture.X86_64).build());
        RegistryBlobs.Manifest m1 = RegistryBlobs.manifest(registry, repo.repository(), built.tags().get(0));
        assertThat(built.digest()).isEqualTo(m1.digest());
        assertThat(built.image()).isEqualTo(repo.repositoryUri() + "@" + m1.digest());
        assertThat(built.builder()).isEqualTo("jib");
        assertThat(built.platform()).isEqualTo("linux/amd64");
        assertThat(progress.all()).contains("Registry confirms " + repo.repositoryUri() + ":" + built.tags().get(0) + " = " + built.digest());
        assertThat(ImageResult.read(first.wheel().file().resolveSibling(ImageResult.FILE_NAME))).isEqualTo(built);

        ValidationReport report = validate(built, Architecture.X86_64, first);
        assertThat(report.passed()).as(String.join("\n", report.table())).isTrue();

        // EMR Serverless runs the entry point with PYSPARK_PYTHON as hadoop; so does this, with no network.
        assertThat(runGreet(engine, built.image())).contains("user=hadoop", "no python3 on PATH", "hello emr!", "executable=" + PYTHON,
                "greeter=/usr/.pyenv/versions/" + TestImages.PYTHON_VERSION + "/", "home=hadoop 755");
        CommandResult labels = engine.run("image", "inspect", "--format", "{{json .Config.Labels}} {{.Config.User}} {{.Config.WorkingDir}}",
                built.image());
        assertThat(labels.stdout()).contains("\"io.jenkins.plugins.kedroemrs.python\":\"" + PYTHON + "\"",
                "\"org.opencontainers.image.revision\":\"0123abc\"", " hadoop:hadoop /home/hadoop");

        // The same inputs again: the same digest, and not one blob more in the registry.
        Map<String, Long> before = RegistryBlobs.onDisk(registry);
        ImageResult again = new ImageBuilder(new RecordingProgress(), null).build(request(pack(copy, tmp.resolve("dist1b")), repo,
                Architecture.X86_64).build());
        assertThat(again.digest()).isEqualTo(built.digest());
        assertThat(RegistryBlobs.onDisk(registry)).isEqualTo(before);

        // A code-only change: only the project layer, the config and the manifest are new.
        Path node = copy.resolve("src/greeter/pipelines/greet/__init__.py");
        Files.writeString(node, Files.readString(node).replace("f\"hello {name}{suffix}\"", "f\"hi again {name}{suffix}\""));
        PackageResult second = pack(copy, tmp.resolve("dist2"));
        ImageResult rebuilt = new ImageBuilder(new RecordingProgress(), null).build(request(second, repo, Architecture.X86_64).build());
        Map<String, Long> added = new HashMap<>(RegistryBlobs.onDisk(registry));
        added.keySet().removeAll(before.keySet());
        RegistryBlobs.Manifest m2 = RegistryBlobs.manifest(registry, repo.repository(), rebuilt.tags().get(0));
        int n = m1.layers().size();
        assertThat(m2.layers().subList(0, n - 1)).as("every layer below the project's").isEqualTo(m1.layers().subList(0, n - 1));
        assertThat(added.keySet()).as("pushed on the rebuild").containsExactlyInAnyOrder(m2.layers().get(n - 1), m2.config(), m2.digest());
        assertThat(runGreet(engine, rebuilt.image())).contains("hi again emr!");
    }

    @Test
    void anArm64ImageIsBuiltOnThisX86MachineAndValidatesForArm64() throws Exception {
        ImageReference repo = ImageReference.parse(registry.host() + "/kedro/jib-arm64");
        PackageResult pr = pack(project, tmp.resolve("dist"));
        ImageResult built = new ImageBuilder(new RecordingProgress(), null).build(request(pr, repo, Architecture.ARM64).build());
        assertThat(built.platform()).isEqualTo("linux/arm64");
        ValidationReport report = validate(built, Architecture.ARM64, pr);
        assertThat(report.passed()).as(String.join("\n", report.table())).isTrue();
        assertThat(report.platform()).startsWith("linux/arm64");
        // Its compiled dependencies are aarch64 builds (PyYAML, MarkupSafe are in Kedro's closure).
        assertThat(RegistryBlobs.manifest(registry, repo.repository(), built.tags().get(0)).layers()).hasSizeGreaterThan(3);
    }

    @Test
    void anInterpreterForTheOtherArchitectureIsRefusedBeforeAnythingIsPushed() throws Exception {
        PackageResult pr = pack(project, tmp.resolve("dist"));
        ImageReference repo = ImageReference.parse(registry.host() + "/kedro/jib-wrong-arch");
        ImageRequest r = request(pr, repo, Architecture.ARM64)
                .python(PythonSetup.prebuilt(TestImages.PYTHON_VERSION, TestImages.pythonTarball(Architecture.X86_64).toString())).build();
        assertThatThrownBy(() -> new ImageBuilder(new RecordingProgress(), null).build(r)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("python-dist: the interpreter in").hasMessageContaining("is built for X86_64, the image is for linux/arm64");
        // Refused before any push: the registry has never heard of the repository.
        assertThat(Files.exists(registry.storage().resolve("docker/registry/v2/repositories/kedro/jib-wrong-arch"))).isFalse();
    }

    @Test
    void aRequirementWithoutAWheelForThePlatformFailsNamingItAndTheBuildersThatCompile() throws Exception {
        PackageResult pr = pack(project, tmp.resolve("dist"));
        ImageReference repo = ImageReference.parse(registry.host() + "/kedro/jib-sdist");
        // antlr4-python3-runtime 4.9.3 is published as an sdist only.
        ImageRequest r = request(pr, repo, Architecture.X86_64).pipRequirements(List.of("antlr4-python3-runtime==4.9.3")).build();
        assertThatThrownBy(() -> new ImageBuilder(new RecordingProgress(), null).build(r)).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("requirement antlr4-python3-runtime==4.9.3 has no wheel for linux/amd64 (CPython 3.11")
                .hasMessageContaining("Use --builder docker|podman, which builds it from source inside the image");
    }

    @Test
    void anUnreachableOrRefusingRegistryFailsClearly() throws Exception {
        PackageResult pr = pack(project, tmp.resolve("dist"));
        ImageReference nowhere = ImageReference.parse("127.0.0.1:" + FreePorts.pick() + "/kedro/app");
        assertThatThrownBy(() -> new ImageBuilder(new RecordingProgress(), null).build(request(pr, nowhere, Architecture.X86_64).build()))
                .isInstanceOf(EngineException.class).hasMessageContaining("Cannot reach the registry " + nowhere.registry());
        // A registry with read-only storage answers every upload 405, as one that denies this login would answer 401/403.
        ImageReference denied = ImageReference.parse(LocalRegistry.startRefusingPushes().host() + "/kedro/app");
        assertThatThrownBy(() -> new ImageBuilder(new RecordingProgress(), null).build(request(pr, denied, Architecture.X86_64).build()))
                .isInstanceOf(EngineException.class).hasMessageContaining("refused the push of " + denied.repositoryUri());
    }

    @Test
    void whatOnlyADockerfileBuildCanDoIsRefusedUpFront() throws Exception {
        PackageResult pr = pack(project, tmp.resolve("dist"));
        ImageReference repo = ImageReference.parse(registry.host() + "/kedro/jib-bad");
        assertThatThrownBy(() -> request(pr, repo, Architecture.X86_64).python(PythonSetup.pyenv(TestImages.PYTHON_VERSION)).build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("python-dist"))
                .hasMessageContaining("cannot compile CPython with pyenv");
        assertThatThrownBy(() -> request(pr, repo, Architecture.X86_64).systemPackages(List.of("gcc")).build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("system-package"));
        assertThatThrownBy(() -> request(pr, repo, Architecture.X86_64).builderArgs(List.of("--network=host")).build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("builder-arg"));
        // Plain HTTP to a loopback registry would be allowed for a remote one too: both on loopback, or neither.
        ImageReference remote = ImageReference.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app");
        assertThatThrownBy(() -> request(pr, remote, Architecture.X86_64).build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("repository"))
                .hasMessageContaining("plain HTTP");
    }

    @Test
    void theDryRunShowsTheLayerPlan() throws Exception {
        PackageResult pr = pack(project, tmp.resolve("dist"));
        BuildPlan plan = new ImageBuilder(new RecordingProgress(), null).plan(request(pr, ImageReference.parse(registry.host()
                + "/kedro/jib-plan"), Architecture.ARM64).build());
        assertThat(plan.dockerfile()).isNull();
        assertThat(plan.layers()).extracting(BuildPlan.Layer::name).containsExactly("python", "dependencies", "conf", "project");
        assertThat(plan.layers().get(0).inputs().get(0).sha256()).isEqualTo(io.jenkins.plugins.kedroemrs.core.util.Hashing.sha256(
                TestImages.pythonTarball(Architecture.ARM64)));
        assertThat(plan.layers().get(3).inputs().get(0).sha256()).isEqualTo(pr.wheel().sha256());
        assertThat(plan.commands().get(0)).contains("--platform manylinux2014_aarch64", "--only-binary=:all:", "--python-version 3.11");
    }

    private static String runGreet(ContainerEngine engine, String image) throws InterruptedException {
        String script = String.join("; ", "set -e", "echo user=$(id -un)", "command -v python3 || echo 'no python3 on PATH'",
                "echo home=$(stat -c '%U %a' /home/hadoop)",
                PYTHON + " /home/hadoop/entrypoint_greeter.py --env emr --pipelines greet --params out_dir=/tmp/out > /tmp/run.log 2>&1"
                        + " || { cat /tmp/run.log; exit 1; }",
                "cat /tmp/out/greeting.txt; echo",
                PYTHON + " -c 'import sys, greeter; print(\"executable=\" + sys.executable); print(\"greeter=\" + greeter.__file__)'");
        CommandResult r = engine.run(List.of("run", "--rm", "--network", "none", image, "sh", "-c", script));
        assertThat(r.exitCode()).as(r.stdout() + String.join("\n", r.outputTail())).isZero();
        return r.stdout();
    }
}
