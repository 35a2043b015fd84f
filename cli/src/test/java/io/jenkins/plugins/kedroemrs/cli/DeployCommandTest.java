package io.jenkins.plugins.kedroemrs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.aws.IamFixtures;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.RegistryBlobs;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestImages;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.emrserverless.model.SparkSubmit;

/** deploy: a real `kedro new` project packaged, the application restarted, the job submitted and watched. */
class DeployCommandTest {
    @TempDir
    Path tmp;

    @RegisterExtension
    final StandInAws aws = new StandInAws();

    List<String> deployArgs(Path project, Path python, String role) {
        return aws.args("deploy", "--project-dir", project.toString(), "--python", python.toString(),
                "--application-id", aws.applicationId, "--image-uri", aws.pinned(), "--execution-role-arn", role,
                "--code-uri", "s3://" + StandInAws.BUCKET + "/code", "--log-uri", "s3://" + StandInAws.BUCKET + "/logs",
                "--env", "emr", "--runner", "ThreadRunner", "--pipeline", "greet", "--run-id", "deploy-test");
    }

    @Test
    void packagesRestartsSubmitsAndWaits() throws Exception {
        Path python = TestPython.require();
        Path project = SampleKedroProject.create(tmp);
        aws.moto.jobScript("RUNNING", "SUCCESS");
        List<String> args = new java.util.ArrayList<>(deployArgs(project, python, StandInAws.ROLE));
        args.add("--json");
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();

        JsonNode json = Json.MAPPER.readTree(run.stdout());
        assertThat(json.path("package").path("packageName").asText()).isEqualTo("greeter");
        assertThat(json.path("restart").path("resolvedImageDigest").asText()).isEqualTo(aws.digest);
        assertThat(json.path("restart").path("stopped").asBoolean()).isTrue();
        assertThat(json.path("jobRun").path("state").asText()).isEqualTo("SUCCESS");
        String jobRunId = json.path("jobRun").path("run").path("jobRunId").asText();

        SparkSubmit spark = aws.aws.emrServerless().getJobRun(g -> g.applicationId(aws.applicationId).jobRunId(jobRunId))
                .jobRun().jobDriver().sparkSubmit();
        String pythonVersion = json.path("package").path("pythonVersion").asText();
        String imagePython = "/usr/.pyenv/versions/" + pythonVersion + "/bin/python";
        assertThat(spark.entryPoint()).isEqualTo("s3://" + StandInAws.BUCKET + "/code/entrypoint_greeter.py");
        assertThat(spark.entryPointArguments()).containsExactly("--env", "emr", "--runner", "ThreadRunner", "--pipelines", "greet");
        assertThat(spark.sparkSubmitParameters()).isEqualTo("--conf spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON="
                + imagePython + " --conf spark.emr-serverless.driverEnv.PYSPARK_PYTHON=" + imagePython
                + " --conf spark.executorEnv.PYSPARK_PYTHON=" + imagePython);
        assertThat(run.stderr()).containsSubsequence("==> Reading the Kedro project", "==> Restarting EMR Serverless application",
                "==> Submitting the Kedro job", "Job run " + jobRunId + " is RUNNING", "Job run " + jobRunId + " succeeded");
        assertThat(aws.moto.calls()).filteredOn(c -> c.endsWith("/stop") || c.endsWith("/start") || c.contains("PATCH")
                || c.matches("emr-serverless POST /applications/\\w+/jobruns")).containsExactly(
                "emr-serverless POST /applications/" + aws.applicationId + "/stop",
                "emr-serverless PATCH /applications/" + aws.applicationId,
                "emr-serverless POST /applications/" + aws.applicationId + "/start",
                "emr-serverless POST /applications/" + aws.applicationId + "/jobruns");
    }

    /**
     * deploy with --image-repository builds the image with the local engine, pushes it to the local registry and checks
     * it before anything else happens. On the plain offline base image (no Spark, no Java, no /usr/bin/entrypoint.sh)
     * the checks fail and deploy stops there: no job run. On the EMR-shaped stand-in base the checks pass and the job
     * is submitted with the interpreter the build put in place. --no-restart: EMR Serverless runs images from ECR only,
     * and moto's ECR has no registry endpoint to push to (the restart onto a digest is tested with --image-uri).
     */
    @Test
    void buildsPushesAndValidatesTheImageBeforeSubmitting() throws Exception {
        Path python = TestPython.require();
        ContainerEngine engine = ContainerEngine.docker();
        LocalRegistry registry = LocalRegistry.shared();
        Path project = SampleKedroProject.create(tmp);
        Path wheels = TestImages.wheelhouse(List.of("kedro~=1.7.0"));
        List<String> args = new java.util.ArrayList<>(aws.args("deploy", "--project-dir", project.toString(), "--python",
                python.toString(), "--application-id", aws.applicationId, "--no-restart", "--execution-role-arn", StandInAws.ROLE,
                "--code-uri", "s3://" + StandInAws.BUCKET + "/code", "--env", "emr", "--pipeline", "greet", "--run-id", "deploy-image",
                "--image-repository", registry.host() + "/kedro/deploy", "--image-tag", "ci-7", "--buildkit", "off",
                "--base-image", engine.baseImage(), "--python-dist", TestImages.pythonTarball().toString(),
                "--python-version", TestImages.PYTHON_VERSION, "--pip-find-links", wheels.toString(), "--pip-no-index",
                "--builder-arg=--network=none"));
        for (java.util.Map.Entry<String, String> e : engine.environment().entrySet()) {
            args.addAll(List.of("--builder-env", e.getKey() + "=" + e.getValue()));
        }
        CliRun refused = CliRun.of(args.toArray(String[]::new));
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(Main.FAILED);
        assertThat(refused.stderr()).as(refused.stderr()).contains("Registry confirms");
        String refusedDigest = RegistryBlobs.manifest(registry, "kedro/deploy", "ci-7").digest();
        assertThat(refused.stderr()).containsSubsequence("==> Reading the Kedro project", "Application " + aws.applicationId
                + ": emr-6.10.0, X86_64", "==> Building " + registry.host() + "/kedro/deploy:ci-7", "Registry confirms",
                "==> Checking the image against emr-6.10.0")
                .contains("error: The image " + registry.host() + "/kedro/deploy@" + refusedDigest + " failed its checks, so the"
                        + " application was left as it is");
        assertThat(aws.moto.calls()).noneMatch(c -> c.contains("/jobruns") || c.endsWith("/stop") || c.endsWith("/start"));

        args.set(args.indexOf(engine.baseImage()), engine.emrBaseImage("emr-6.10.0"));
        args.add("--json");
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode json = Json.MAPPER.readTree(run.stdout());
        String digest = RegistryBlobs.manifest(registry, "kedro/deploy", "ci-7").digest();
        String imagePython = "/usr/.pyenv/versions/" + TestImages.PYTHON_VERSION + "/bin/python";
        assertThat(json.path("image").path("image").asText()).isEqualTo(registry.host() + "/kedro/deploy@" + digest);
        assertThat(json.path("image").path("pythonPath").asText()).isEqualTo(imagePython);
        assertThat(json.path("jobRun").path("state").asText()).isEqualTo("SUCCESS");
        String jobRunId = json.path("jobRun").path("run").path("jobRunId").asText();
        assertThat(aws.aws.emrServerless().getJobRun(g -> g.applicationId(aws.applicationId).jobRunId(jobRunId)).jobRun()
                .jobDriver().sparkSubmit().sparkSubmitParameters()).contains("PYSPARK_PYTHON=" + imagePython);
        assertThat(refusedDigest).isNotEqualTo(digest);
        assertThat(run.stderr()).contains("==> Checking the image against emr-6.10.0").doesNotContain("FAIL");

        // The pushed image with the project checked inside it, run once by the test's dockerd (no network, no Spark).
        List<String> check = new java.util.ArrayList<>(List.of("validate-image", registry.host() + "/kedro/deploy@" + digest,
                "--release-label", "emr-6.10.0", "--python", imagePython, "--package-result", project.resolve("dist").toString(),
                "--project-check", "--env", "emr", "--pipeline", "greet", "--param", "out_dir=/tmp/out",
                "--engine-executable", engine.executable()));
        engine.environment().forEach((k, v) -> check.addAll(List.of("--engine-env", k + "=" + v)));
        CliRun checked = CliRun.of(check.toArray(String[]::new));
        assertThat(checked.exitCode()).as(checked.stderr()).isZero();
        assertThat(checked.stderr()).contains("==> Checking the Kedro project greeter inside " + registry.host() + "/kedro/deploy@"
                + digest + " with docker").containsPattern("project:import +PASS +\\d+ modules of greeter import")
                .containsPattern("project:catalog +PASS +1 datasets constructed").contains("The project check took ");
        assertThat(checked.stdout()).startsWith("PASSED: 19 passed, 0 failed");
    }

    @Test
    void imageOptionsAreCheckedBeforePackaging() throws Exception {
        Path project = tmp.resolve("not-packaged");
        java.nio.file.Files.createDirectories(project);
        CliRun both = CliRun.of(aws.args("deploy", "--project-dir", project.toString(), "--application-id", aws.applicationId,
                "--execution-role-arn", StandInAws.ROLE, "--image-uri", aws.pinned(), "--image-repository", StandInAws.REPO)
                .toArray(String[]::new));
        assertThat(both.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(both.stderr()).contains("error: image-uri: both --image-uri and --image-repository were given");

        CliRun notEcr = CliRun.of(aws.args("deploy", "--project-dir", project.toString(), "--application-id", aws.applicationId,
                "--execution-role-arn", StandInAws.ROLE, "--image-repository", "127.0.0.1:5000/kedro/x").toArray(String[]::new));
        assertThat(notEcr.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(notEcr.stderr()).contains("error: image-repository: 127.0.0.1:5000/kedro/x is not an ECR repository");

        CliRun builder = CliRun.of(aws.args("deploy", "--project-dir", project.toString(), "--application-id", aws.applicationId,
                "--execution-role-arn", StandInAws.ROLE, "--image-repository", StandInAws.REPO, "--builder", "kaniko")
                .toArray(String[]::new));
        assertThat(builder.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(builder.stderr()).contains("error: builder: unknown builder \"kaniko\"");
        assertThat(project.resolve("dist")).doesNotExist();
        assertThat(aws.moto.calls()).isEmpty();
    }

    @Test
    void badInputIsRefusedBeforePackaging() throws Exception {
        Path project = tmp.resolve("not-packaged");
        java.nio.file.Files.createDirectories(project);
        CliRun run = CliRun.of(deployArgs(project, Path.of("/usr/bin/python3"), "arn:aws:iam::123:role/x").toArray(String[]::new));
        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.stderr()).contains("error: execution-role-arn: \"arn:aws:iam::123:role/x\" is not an IAM role ARN")
                .doesNotContain("==> Reading the Kedro project");
        assertThat(project.resolve("dist")).doesNotExist();
        assertThat(aws.moto.calls()).isEmpty();
    }
    @Test
    void aFailedPreflightStopsBeforePackagingAndNoPreflightSkipsIt() throws Exception {
        Path python = TestPython.require();
        Path project = SampleKedroProject.create(tmp);
        // The role may not write the logs: deploy's first stage says so, and nothing is packaged or started.
        IamFixtures iam = new IamFixtures(aws.aws);
        String role = iam.createRole("read-only", StandInAws.TRUST);
        iam.putRolePolicy("read-only", "read", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::" + StandInAws.BUCKET + "/*\"}]}");
        aws.moto.jobScript("RUNNING", "SUCCESS");
        List<String> args = new java.util.ArrayList<>(deployArgs(project, python, role));
        args.addAll(List.of("--out", tmp.resolve("dist").toString(), "--preflight-junit", tmp.resolve("preflight.xml").toString()));

        CliRun stopped = CliRun.of(args.toArray(String[]::new));

        assertThat(stopped.exitCode()).as(stopped.stderr()).isEqualTo(Main.FAILED);
        assertThat(stopped.stdout()).containsPattern("role:log-write +FAIL +the role may not write the logs under s3://"
                + StandInAws.BUCKET + "/logs/: s3:PutObject \\(implicitDeny\\)");
        assertThat(stopped.stderr()).contains("error: Preflight failed, so nothing was packaged, built or started: role:log-write: the role may not write the logs")
                .doesNotContain("==> Reading the Kedro project");
        assertThat(tmp.resolve("dist")).doesNotExist();
        assertThat(tmp.resolve("preflight.xml")).content().contains("failures=\"1\"");
        assertThat(aws.moto.calls()).noneMatch(c -> c.startsWith("s3 PUT") || c.contains("/jobruns") || c.endsWith("/stop"));

        args.add("--no-preflight");
        CliRun skipped = CliRun.of(args.toArray(String[]::new));
        assertThat(skipped.exitCode()).as(skipped.stderr()).isZero();
        assertThat(skipped.stderr()).doesNotContain("==> Preflight").contains("==> Reading the Kedro project");
    }
}
