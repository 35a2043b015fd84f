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

/** Ctrl-C on `kedro-emrs submit` (the real launcher, a real SIGINT) cancels the job run before the CLI exits. */
class SubmitInterruptIT {
    @TempDir
    Path tmp;

    @RegisterExtension
    final StandInAws aws = new StandInAws();

    @Test
    void ctrlCCancelsTheJobRunWithItsGracePeriod() throws Exception {
        aws.moto.jobScript("SUBMITTED", "RUNNING"); // runs until cancelled
        SamplePackageResult.write(tmp.resolve("dist"), "1.7.0");
        List<String> command = new ArrayList<>(List.of(LauncherIT.LAUNCHER.toString()));
        command.addAll(aws.args("submit", "--application-id", aws.applicationId, "--package-result", tmp.resolve("dist").toString(),
                "--execution-role-arn", StandInAws.ROLE, "--code-uri", "s3://" + StandInAws.BUCKET + "/code",
                "--cancel-grace-period", "30"));
        Path stderr = tmp.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile()).redirectOutput(tmp.resolve("stdout.txt").toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", "testing"); // moto's fake keys
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        Process cli = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(stderr).contains(" is RUNNING") && cli.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(Files.readString(stderr)).as("the CLI reached RUNNING").contains(" is RUNNING");

            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(cli.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            assertThat(cli.waitFor(120, TimeUnit.SECONDS)).as("the CLI exits after cancelling").isTrue();
        } finally {
            cli.destroyForcibly();
        }
        String err = Files.readString(stderr);
        assertThat(cli.exitValue()).as(err).isEqualTo(130);
        assertThat(err).contains("Interrupted: cancelling job run", "(grace period 30 s)", " is CANCELLED");
        assertThat(aws.moto.jobRuns()).singleElement().satisfies(r -> assertThat(r).containsEntry("state", "CANCELLED")
                .containsEntry("gracePeriod", 30));
        assertThat(Files.readString(tmp.resolve("stdout.txt"))).contains(" CANCELLED", "  console     https://");
    }
}
