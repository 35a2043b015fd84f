package io.jenkins.plugins.kedroemrs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.RegistryBlobs;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestImages;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildImageCommandTest {
    static final String ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/greeter";

    @TempDir
    static Path shared;
    static Path project;
    static Path dist;

    @BeforeAll
    static void packageProject() throws Exception {
        Path python = TestPython.require();
        project = SampleKedroProject.create(shared);
        CliRun run = CliRun.of("package", "--project-dir", project.toString(), "--python", python.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        dist = project.resolve("dist");
    }

    @Test
    void dryRunPrintsTheDockerfileAndThePlanAndTouchesNothing() throws Exception {
        List<String> before;
        try (var s = Files.list(dist)) {
            before = s.map(Path::toString).sorted().toList();
        }
        CliRun run = CliRun.of("build-image", "--project-dir", project.toString(), "--repository", ECR, "--push", "--ensure-repository",
                "--application-id", "00fabcdefghij12k", "--builder-executable", "/nope/docker", "--git-commit", "0123abc", "--dry-run");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("# Dockerfile (template)\n# EMR Serverless custom image for the Kedro project greeter 0.1")
                .contains("FROM public.ecr.aws/emr-serverless/spark/emr-6.10.0:latest")
                .contains("\"$PYENV_ROOT/bin/pyenv\" install --skip-existing " + PackageResult.read(dist).pythonVersion())
                .contains("USER hadoop:hadoop\n\n# Build plan (dry run: nothing was run, written or called)")
                .contains("  kedro-emrs/greeter-0.1-py3-none-any.whl")
                .contains("image       " + ECR + ":0.1-")
                .contains("ecr         Create the ECR repository kedro/greeter when missing")
                .contains("arn:aws:emr-serverless:eu-west-1:123456789012:/applications/00fabcdefghij12k")
                .contains("run         /nope/docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com")
                .contains("--label org.opencontainers.image.revision=0123abc")
                .contains("run         /nope/docker push " + ECR + ":0.1-");
        try (var s = Files.list(dist)) {
            assertThat(s.map(Path::toString).sorted().toList()).isEqualTo(before);
        }
        CliRun json = CliRun.of("build-image", "--project-dir", project.toString(), "--repository", ECR, "--dry-run", "--json");
        assertThat(json.exitCode()).isZero();
        assertThat(Json.MAPPER.readTree(json.stdout()).path("references").get(0).asText()).startsWith(ECR + ":0.1-");
    }

    /** builder jib: the dry run shows the layers it would add (with the sha256 of their inputs) and pip's command, and runs nothing. */
    @Test
    void jibDryRunPrintsTheLayerPlan() throws Exception {
        Path dist = TestImages.pythonTarball();
        CliRun run = CliRun.of("build-image", "--project-dir", project.toString(), "--repository", ECR, "--builder", "jib",
                "--architecture", "ARM64", "--release-label", "emr-7.1.0", "--python-dist", dist.toString(), "--python-version",
                TestImages.PYTHON_VERSION, "--builder-executable", "/nope/python3", "--dry-run");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("# Layers builder jib adds to the base image, in order\npython -> /usr/.pyenv/versions/"
                + TestImages.PYTHON_VERSION + "/\n")
                .contains("sha256 " + io.jenkins.plugins.kedroemrs.core.util.Hashing.sha256(dist) + "  from " + dist)
                .contains("\ndependencies -> ", "\nconf -> /home/hadoop/\n", "\nproject -> ")
                .contains("base image  public.ecr.aws/emr-serverless/spark/emr-7.1.0:latest (linux/arm64)")
                .contains("run         /nope/python3 -m pip install", "--platform manylinux_2_34_aarch64", "--only-binary=:all:")
                .doesNotContain("# Dockerfile");
    }

    @Test
    void badInputExitsWithTwoAndNamesTheOption() {
        CliRun noRepo = CliRun.of("build-image", "--project-dir", project.toString());
        assertThat(noRepo.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(noRepo.stderr()).contains("Missing required option: '--repository=URI'");

        CliRun noResult = CliRun.of("build-image", "--project-dir", shared.resolve("nowhere").toString(), "--repository", ECR);
        assertThat(noResult.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(noResult.stderr()).contains("error: package-result: no packaging result at");

        CliRun builder = CliRun.of("build-image", "--project-dir", project.toString(), "--repository", ECR, "--builder", "kaniko");
        assertThat(builder.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(builder.stderr()).contains("error: builder: unknown builder \"kaniko\". Use docker, podman or jib");

        CliRun missing = CliRun.of("build-image", "--project-dir", project.toString(), "--repository", "127.0.0.1:5000/kedro/x",
                "--builder-executable", "/nope/docker");
        assertThat(missing.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(missing.stderr()).contains("error: builder: docker is not installed: no executable \"/nope/docker\"");

        CliRun release = CliRun.of("build-image", "--project-dir", project.toString(), "--repository", ECR, "--release-label", "emr-6.6.0");
        assertThat(release.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(release.stderr()).contains("error: release-label: EMR Serverless runs custom images from emr-6.9.0 on");
    }

    @Test
    void buildsAndPushesWithTheLocalEngineAndPrintsTheDigest() throws Exception {
        ContainerEngine engine = ContainerEngine.docker();
        LocalRegistry registry = LocalRegistry.shared();
        Path wheels = TestImages.wheelhouse(List.of("kedro~=1.7.0"));
        List<String> args = new ArrayList<>(List.of("build-image", "--package-result", dist.resolve(PackageResult.FILE_NAME).toString(),
                "--repository", registry.host() + "/kedro/cli", "--tag", "ci-1", "--push", "--buildkit", "off",
                "--base-image", engine.baseImage(), "--python-dist", TestImages.pythonTarball().toString(),
                "--python-version", TestImages.PYTHON_VERSION, "--pip-find-links", wheels.toString(), "--pip-no-index",
                "--builder-arg=--network=none", "--json"));
        for (Map.Entry<String, String> e : engine.environment().entrySet()) {
            args.addAll(List.of("--builder-env", e.getKey() + "=" + e.getValue()));
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode result = Json.MAPPER.readTree(run.stdout());
        String digest = RegistryBlobs.manifest(registry, "kedro/cli", "ci-1").digest();
        assertThat(result.path("digest").asText()).isEqualTo(digest);
        assertThat(result.path("image").asText()).isEqualTo(registry.host() + "/kedro/cli@" + digest);
        assertThat(result.path("pythonPath").asText()).isEqualTo("/usr/.pyenv/versions/" + TestImages.PYTHON_VERSION + "/bin/python");
        assertThat(run.stderr()).contains("==> Building " + registry.host() + "/kedro/cli:ci-1 with docker", "Registry confirms");
        assertThat(dist.resolve("kedro-emrs-image.json")).isRegularFile();
    }

    @Test
    void helpListsTheOptions() {
        CliRun help = CliRun.of("build-image", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("--package-result=FILE|DIR", "--repository=URI", "--python-installer=auto|pyenv|prebuilt",
                "--ensure-repository", "--application-id=ID", "--dry-run", "--region=REGION", "--endpoint-url=URL", "--profile=NAME");
    }
}
