package io.jenkins.plugins.kedroemrs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
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
    static final String PINNED = StandInAws.REPO + "@" + StandInAws.DIGEST;

    @TempDir
    Path tmp;

    @RegisterExtension
    final StandInAws aws = new StandInAws();

    List<String> deployArgs(Path project, Path python, String role) {
        return aws.args("deploy", "--project-dir", project.toString(), "--python", python.toString(),
                "--application-id", aws.applicationId, "--image-uri", PINNED, "--execution-role-arn", role,
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
        assertThat(json.path("restart").path("resolvedImageDigest").asText()).isEqualTo(StandInAws.DIGEST);
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
}
