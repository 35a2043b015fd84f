package io.jenkins.plugins.kedroemrs.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kedroemrs.core.kedro.KedroPackager;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageRequest;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.RecordingProgress;
import io.jenkins.plugins.kedroemrs.core.testing.RegistryBlobs;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestImages;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole of {@code emrsBuildImage} with real parts: a {@code kedro new} project packaged by the engine, a real engine
 * (dockerd with the legacy builder, dockerd with BuildKit, podman), the template's Dockerfile with the prebuilt-interpreter
 * installer (offline: the test interpreter tarball and a wheelhouse), a push to a real registry; then the image runs the
 * project's EMR entry point with the custom Python, and a code-only change rebuilds and pushes only the wheel's layers.
 */
class ImageBuildEndToEndTest {
    static final String PYTHON = "/usr/.pyenv/versions/" + TestImages.PYTHON_VERSION + "/bin/python";

    enum Engine { DOCKER_LEGACY, DOCKER_BUILDKIT, PODMAN }

    @TempDir
    static Path shared;
    static Path project;
    static Path wheelhouse;

    @TempDir
    Path tmp;

    @BeforeAll
    static void createProject() throws Exception {
        TestPython.require();
        project = SampleKedroProject.create(shared);
        PackageResult pr = pack(project, shared.resolve("dist0"));
        List<String> requirements = BuildContext.projectRequirements(pr).lines().filter(l -> !l.startsWith("#")).toList();
        wheelhouse = TestImages.wheelhouse(requirements);
    }

    static PackageResult pack(Path projectDir, Path out) throws Exception {
        return new KedroPackager(null).pack(PackageRequest.of(projectDir).withPython(TestPython.path().toString()).withOutDir(out));
    }

    /** The request every engine gets: offline base image, prebuilt test interpreter, wheelhouse, push to the local registry. */
    static ContainerBuilder builder(Engine e) {
        return e == Engine.PODMAN ? ContainerBuilder.PODMAN : ContainerBuilder.DOCKER;
    }

    static ImageRequest.Builder request(Engine e, ContainerEngine engine, PackageResult pr, ImageReference repo) throws Exception {
        return ImageRequest.builder(pr, repo).push(true).builder(builder(e))
                .executable(e == Engine.DOCKER_BUILDKIT ? engine.buildKitClient() : engine.executable())
                .buildKit(e == Engine.DOCKER_BUILDKIT ? BuildKitMode.ON : e == Engine.DOCKER_LEGACY ? BuildKitMode.OFF : BuildKitMode.AUTO)
                .builderEnvironment(engine.environment())
                .builderArgs(List.of("--network=none"))
                .baseImage(engine.baseImage())
                .python(PythonSetup.prebuilt(TestImages.PYTHON_VERSION, TestImages.pythonTarball().toString()))
                .pipFindLinks(wheelhouse).pipNoIndex(true)
                .labels(Map.of("org.opencontainers.image.revision", "0123abc"));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void buildsARunnableImageAndACodeChangeReusesEveryLayerUpToTheWheel(Engine e) throws Exception {
        ContainerEngine engine = ContainerEngine.of(builder(e));
        LocalRegistry registry = LocalRegistry.shared();
        ImageReference repo = ImageReference.parse(registry.host() + "/kedro/greeter-" + e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        Path copy = SampleKedroProject.copy(project, tmp.resolve("project"));
        PackageResult first = pack(copy, tmp.resolve("dist1"));

        RecordingProgress progress = new RecordingProgress();
        ImageResult built = new ImageBuilder(progress, null).build(request(e, engine, first, repo).build());

        // The digest is the registry's, and the image is addressed by it.
        RegistryBlobs.Manifest m1 = RegistryBlobs.manifest(registry, repo.repository(), built.tags().get(0));
        assertThat(built.digest()).isEqualTo(m1.digest()).startsWith("sha256:");
        assertThat(built.image()).isEqualTo(repo.repositoryUri() + "@" + m1.digest());
        assertThat(built.tags()).singleElement().asString().startsWith("0.1-").hasSize("0.1-".length() + 12);
        assertThat(built.pythonPath()).isEqualTo(PYTHON);
        assertThat(progress.all()).contains("Registry confirms " + repo.repositoryUri() + ":" + built.tags().get(0) + " = " + built.digest());
        assertThat(ImageResult.read(first.wheel().file().resolveSibling(ImageResult.FILE_NAME))).isEqualTo(built);

        // EMR Serverless ignores CMD/ENTRYPOINT and runs the entry point with PYSPARK_PYTHON; so does this, as hadoop.
        assertThat(runGreet(engine, built.image())).contains("user=hadoop", "no python3 on PATH", "hello emr!",
                "executable=" + PYTHON, "greeter=/usr/.pyenv/versions/" + TestImages.PYTHON_VERSION + "/");
        CommandResult labels = engine.run("image", "inspect", "--format", "{{json .Config.Labels}}", built.image());
        assertThat(labels.stdout()).contains("\"io.jenkins.plugins.kedroemrs.python\":\"" + PYTHON + "\"",
                "\"org.opencontainers.image.revision\":\"0123abc\"");

        // A code-only change: every layer up to the wheel is reused, and only the wheel's layers travel.
        Path node = copy.resolve("src/greeter/pipelines/greet/__init__.py");
        Files.writeString(node, Files.readString(node).replace("f\"hello {name}{suffix}\"", "f\"hi again {name}{suffix}\""));
        PackageResult second = pack(copy, tmp.resolve("dist2"));
        assertThat(second.wheel().sha256()).isNotEqualTo(first.wheel().sha256());
        assertThat(second.confArchive().sha256()).isEqualTo(first.confArchive().sha256());
        Map<String, Long> before = RegistryBlobs.onDisk(registry);
        ImageResult rebuilt = new ImageBuilder(new RecordingProgress(), null).build(request(e, engine, second, repo).build());
        Map<String, Long> added = new HashMap<>(RegistryBlobs.onDisk(registry));
        added.keySet().removeAll(before.keySet());

        RegistryBlobs.Manifest m2 = RegistryBlobs.manifest(registry, repo.repository(), rebuilt.tags().get(0));
        assertThat(rebuilt.digest()).isEqualTo(m2.digest()).isNotEqualTo(built.digest());
        int n = m1.layers().size();
        assertThat(m2.layers()).hasSize(n);
        assertThat(m2.layers().subList(0, n - 2)).as("every layer up to the wheel's").isEqualTo(m1.layers().subList(0, n - 2));
        assertThat(m2.layers().subList(n - 2, n)).as("the wheel's COPY and pip install").doesNotContainAnyElementsOf(m1.layers());
        assertThat(added.keySet()).as("pushed on the rebuild: the two wheel layers, the config and the manifest")
                .containsExactlyInAnyOrderElementsOf(List.of(m2.layers().get(n - 2), m2.layers().get(n - 1), m2.config(), m2.digest()));
        assertThat(runGreet(engine, rebuilt.image())).contains("hi again emr!");
    }

    private static String runGreet(ContainerEngine engine, String image) throws InterruptedException {
        String script = String.join("; ", "set -e", "echo user=$(id -un)", "command -v python3 || echo 'no python3 on PATH'",
                PYTHON + " /home/hadoop/entrypoint_greeter.py --env emr --pipelines greet --params out_dir=/tmp/out > /tmp/run.log 2>&1"
                        + " || { cat /tmp/run.log; exit 1; }",
                "cat /tmp/out/greeting.txt; echo",
                PYTHON + " -c 'import sys, greeter; print(\"executable=\" + sys.executable); print(\"greeter=\" + greeter.__file__)'");
        // By digest, as EMR Serverless pulls it (podman fetches it from the plain-HTTP loopback registry).
        List<String> args = new java.util.ArrayList<>(List.of("run", "--rm", "--network", "none"));
        if (engine.kind() == ContainerEngine.Kind.PODMAN) {
            args.add("--tls-verify=false");
        }
        args.addAll(List.of(image, "sh", "-c", script));
        CommandResult r = engine.run(args);
        assertThat(r.exitCode()).as(r.stdout() + String.join("\n", r.outputTail())).isZero();
        return r.stdout();
    }
}
