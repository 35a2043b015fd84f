package io.jenkins.plugins.kedroemrs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kedro-emrs submit` on session credentials from the environment (AWS_SESSION_TOKEN, as `aws sts assume-role` or a CI
 * job's role leave them; moto's fake keys): a long wait is warned about before it starts, and when the session expires
 * under the wait (the stand-in answers ExpiredTokenException) the CLI says the run goes on and how to cancel it.
 */
class SessionCredentialsIT {
    @TempDir
    Path tmp;

    @RegisterExtension
    final StandInAws aws = new StandInAws();

    @Test
    void aLongWaitOnASessionIsWarnedAboutAndItsExpiryLeavesTheRunToCancel() throws Exception {
        aws.moto.jobScript("SUBMITTED", "RUNNING");
        aws.moto.fault("GET", "/jobruns/\\w+$", 403, "ExpiredTokenException", 1);
        SamplePackageResult.write(tmp.resolve("dist"), "1.7.0");
        List<String> command = new ArrayList<>(List.of(LauncherIT.LAUNCHER.toString()));
        command.addAll(aws.args("submit", "--application-id", aws.applicationId, "--package-result", tmp.resolve("dist").toString(),
                "--execution-role-arn", StandInAws.ROLE, "--code-uri", "s3://" + StandInAws.BUCKET + "/code", "--wait-timeout", "240"));
        Path stderr = tmp.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile()).redirectOutput(tmp.resolve("stdout.txt").toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", "testing"); // moto's fake keys
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        pb.environment().put("AWS_SESSION_TOKEN", "testing");
        Process cli = pb.start();
        assertThat(cli.waitFor(120, TimeUnit.SECONDS)).as("the CLI ends").isTrue();
        String err = Files.readString(stderr);
        assertThat(cli.exitValue()).as(err).isEqualTo(Main.FAILED);
        String jobRunId = aws.moto.jobRuns().get(0).get("jobRunId").toString();
        assertThat(err).contains("The AWS credentials come from the environment as a session (AWS_SESSION_TOKEN)",
                "this wait may outlive it", "--profile with role_arn");
        assertThat(err).contains("error: Stopped watching job run " + jobRunId + ": the AWS credentials expired (ExpiredTokenException",
                "The job run is not cancelled", "aws emr-serverless cancel-job-run --application-id " + aws.applicationId
                        + " --job-run-id " + jobRunId);
        assertThat(err).doesNotContain("\tat ");
        assertThat(aws.moto.calls()).noneMatch(c -> c.startsWith("emr-serverless DELETE"));
    }
}
