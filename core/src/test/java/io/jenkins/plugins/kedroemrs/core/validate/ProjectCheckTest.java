package io.jenkins.plugins.kedroemrs.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kedroemrs.core.image.BuildKitMode;
import io.jenkins.plugins.kedroemrs.core.image.ContainerBuilder;
import io.jenkins.plugins.kedroemrs.core.image.ImageBuilder;
import io.jenkins.plugins.kedroemrs.core.image.ImageRequest;
import io.jenkins.plugins.kedroemrs.core.image.PythonSetup;
import io.jenkins.plugins.kedroemrs.core.kedro.ConfArchive;
import io.jenkins.plugins.kedroemrs.core.kedro.KedroPackager;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageRequest;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.kedro.WheelInfo;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestImages;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project checked inside its image with the real container engine (the tests' dockerd) on the EMR-shaped base:
 * the sample project built into an image as emrsBuildImage builds it, then run once per case. The good project passes;
 * a catalog that needs a package the image lacks, a pipeline name that does not exist, a node importing a missing
 * module and a broken parameters.yml in the env each fail their own check; without an engine every check is SKIPPED.
 */
class ProjectCheckTest {
    static final String PYTHON = "/usr/.pyenv/versions/" + TestImages.PYTHON_VERSION + "/bin/python";
    static final List<String> PARAMS = List.of("out_dir=/tmp/out");

    @TempDir
    static Path shared;
    static ContainerEngine engine;
    static Path project;
    static PackageResult packaged;
    static String image;

    @BeforeAll
    static void buildTheImage() throws Exception {
        TestPython.require();
        engine = ContainerEngine.docker();
        project = SampleKedroProject.create(shared);
        packaged = pack(project, shared.resolve("dist"));
        image = build(packaged, "good");
    }

    static PackageResult pack(Path projectDir, Path out) throws Exception {
        return new KedroPackager(null).pack(PackageRequest.of(projectDir).withPython(TestPython.path().toString()).withOutDir(out));
    }

    /** emrsBuildImage's build on the EMR-shaped base, offline, pushed to the local registry; the image by digest. */
    static String build(PackageResult pr, String tag) throws Exception {
        List<String> requirements = WheelInfo.read(pr.wheel().file(), pr.packageName()).requiresDist().stream()
                .map(r -> r.split(";", 2)[0].strip()).toList();
        ImageReference repo = ImageReference.parse(LocalRegistry.shared().host() + "/kedro/project-check");
        ImageRequest request = ImageRequest.builder(pr, repo).tags(List.of(tag)).push(true).builder(ContainerBuilder.DOCKER)
                .executable(engine.executable()).buildKit(BuildKitMode.OFF).builderEnvironment(engine.environment())
                .builderArgs(List.of("--network=none")).baseImage(engine.emrBaseImage("emr-6.10.0"))
                .python(PythonSetup.prebuilt(TestImages.PYTHON_VERSION, TestImages.pythonTarball().toString()))
                .pipFindLinks(TestImages.wheelhouse(requirements)).pipNoIndex(true).build();
        return new ImageBuilder(null, null).build(request).image();
    }

    ProjectCheck check() {
        return new ProjectCheck(null, ContainerBuilder.DOCKER, engine.executable(), engine.environment());
    }

    static Map<String, CheckResult> byName(List<CheckResult> checks) {
        return checks.stream().collect(Collectors.toMap(CheckResult::name, Function.identity()));
    }

    static List<String> failed(List<CheckResult> checks) {
        return checks.stream().filter(c -> c.status() == CheckStatus.FAIL).map(CheckResult::name).toList();
    }

    /** The conf archive of {@code project} with {@code file} (under conf/) replaced by {@code text}. */
    static Path confWith(Path tmp, String file, String text) throws Exception {
        Path copy = SampleKedroProject.copy(project, tmp.resolve("conf-variant"));
        Files.writeString(copy.resolve("conf").resolve(file), text);
        Path archive = tmp.resolve("conf-" + SampleKedroProject.PACKAGE + ".tar.gz");
        ConfArchive.write(new ConfArchive(copy.resolve("conf"), ConfArchive.DEFAULT_EXCLUDES).plan(), archive);
        return archive;
    }

    ProjectCheck.Request request(String img, Path conf, List<String> pipelines) {
        return new ProjectCheck.Request(img, PYTHON, SampleKedroProject.PACKAGE, conf, "emr", pipelines, PARAMS, null);
    }

    @Test
    void theGoodProjectPassesEveryCheck() throws Exception {
        List<CheckResult> checks = check().run(request(image, packaged.confArchive().file(), List.of("greet")));
        assertThat(checks).extracting(CheckResult::name).containsExactlyElementsOf(ProjectCheck.NAMES);
        assertThat(checks).as(String.join("\n", CheckResult.table(checks)))
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(CheckStatus.PASS));
        Map<String, CheckResult> c = byName(checks);
        assertThat(c.get("project:import").reason()).contains("modules of greeter import with the image's Python "
                + TestImages.PYTHON_VERSION);
        assertThat(c.get("project:params").reason()).contains("parameters load for env emr");
        assertThat(c.get("project:pipelines").reason()).startsWith("greet in the registry");
        assertThat(c.get("project:catalog").reason()).startsWith("1 datasets constructed");
    }

    @Test
    void aCatalogThatNeedsAPackageTheImageLacksFailsTheCatalogCheck(@TempDir Path tmp) throws Exception {
        Path conf = confWith(tmp, "base/catalog.yml", "greeting:\n  type: spark.SparkDataset\n  filepath: s3://bucket/greeting\n"
                + "  file_format: parquet\n");
        List<CheckResult> checks = check().run(request(image, conf, List.of("greet")));
        assertThat(failed(checks)).as(String.join("\n", CheckResult.table(checks))).containsExactly("project:catalog");
        assertThat(byName(checks).get("project:catalog").reason()).startsWith("greeting: DatasetError: ")
                .contains("spark.SparkDataset");
    }

    @Test
    void aPipelineThatDoesNotExistFailsThePipelinesCheck() throws Exception {
        List<CheckResult> checks = check().run(request(image, packaged.confArchive().file(), List.of("greet", "nightly")));
        assertThat(failed(checks)).as(String.join("\n", CheckResult.table(checks))).containsExactly("project:pipelines");
        assertThat(byName(checks).get("project:pipelines").reason()).startsWith("no pipeline nightly in the registry (it has: "
                + "__default__, greet)");
        assertThat(byName(checks).get("project:catalog").status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void aBrokenParametersFileInTheEnvFailsTheParamsCheck(@TempDir Path tmp) throws Exception {
        Path conf = confWith(tmp, "emr/parameters.yml", "name: [emr\n");
        List<CheckResult> checks = check().run(request(image, conf, List.of("greet")));
        assertThat(failed(checks)).as(String.join("\n", CheckResult.table(checks))).containsExactly("project:params");
        assertThat(byName(checks).get("project:params").reason()).startsWith("the parameters of env emr do not load: ")
                .contains("emr/parameters.yml");
    }

    /**
     * Without --env Kedro runs env {@code local}, whose folder the conf archive always leaves out: the job would stop
     * with MissingConfigException, and so do the parameters and the catalog here, naming the fix.
     */
    @Test
    void noEnvWhereConfLocalIsLeftOutFailsParamsAndCatalogWithTheFix() throws Exception {
        List<CheckResult> checks = check().run(new ProjectCheck.Request(image, PYTHON, SampleKedroProject.PACKAGE,
                packaged.confArchive().file(), null, List.of("greet"), PARAMS, null));
        assertThat(failed(checks)).as(String.join("\n", CheckResult.table(checks))).containsExactly("project:params", "project:catalog");
        assertThat(byName(checks).get("project:params").reason()).startsWith("the parameters of env local do not load: ")
                .contains("conf/local", "pass the job's --env (e.g. emr)");
    }

    @Test
    void aNodeImportingAMissingModuleFailsTheImportCheck(@TempDir Path tmp) throws Exception {
        Path copy = SampleKedroProject.copy(project, tmp.resolve("project"));
        Path node = copy.resolve("src/greeter/pipelines/greet/__init__.py");
        Files.writeString(node, "import pyarrow_not_in_the_image  # noqa: F401\n" + Files.readString(node));
        PackageResult broken = pack(copy, tmp.resolve("dist"));
        String brokenImage = build(broken, "missing-module");

        List<CheckResult> checks = check().run(request(brokenImage, broken.confArchive().file(), List.of("greet")));
        assertThat(failed(checks)).as(String.join("\n", CheckResult.table(checks))).containsExactly("project:import");
        assertThat(byName(checks).get("project:import").reason()).startsWith("greeter.pipelines.greet: no module named "
                + "'pyarrow_not_in_the_image' in the image");
    }

    /** The time limit stops the run, fails the first check with the reason, and leaves no container behind. */
    @Test
    void aRunOverItsTimeLimitFailsAndLeavesNoContainer() throws Exception {
        List<CheckResult> checks = check().run(new ProjectCheck.Request(image, PYTHON, SampleKedroProject.PACKAGE,
                packaged.confArchive().file(), "emr", List.of("greet"), PARAMS, Duration.ofMillis(200)));
        assertThat(failed(checks)).containsExactly("project:import");
        assertThat(checks.get(0).reason()).startsWith("the image did not run the project check: ").contains("did not finish within");
        assertThat(checks.subList(1, 4)).allSatisfy(c -> assertThat(c.status()).isEqualTo(CheckStatus.SKIPPED));
        CommandResult left = engine.run("ps", "--all", "--quiet", "--filter", "name=kedro-emrs-project-check-");
        assertThat(left.stdout()).as("containers left").isBlank();
    }

    @Test
    void withoutAnEngineEveryCheckIsSkippedWithTheReason() throws Exception {
        List<CheckResult> checks = new ProjectCheck(null, ContainerBuilder.PODMAN, "/nonexistent/podman", Map.of())
                .run(request(image, packaged.confArchive().file(), List.of()));
        assertThat(checks).extracting(CheckResult::name).containsExactlyElementsOf(ProjectCheck.NAMES);
        assertThat(checks).allSatisfy(c -> assertThat(c.status()).isEqualTo(CheckStatus.SKIPPED));
        assertThat(checks.get(0).reason()).startsWith("no container engine here (no /nonexistent/podman on PATH)");
    }
}
