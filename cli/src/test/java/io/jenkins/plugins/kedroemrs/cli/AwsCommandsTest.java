package io.jenkins.plugins.kedroemrs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** restart-app, submit and dashboard in-process against the EMR Serverless stand-in. */
class AwsCommandsTest {
    @TempDir
    Path dist;

    @RegisterExtension
    final StandInAws aws = new StandInAws();

    String[] submitArgs(String... more) {
        return submitArgsWithRole(StandInAws.ROLE, more);
    }

    String[] submitArgsWithRole(String role, String... more) {
        String[] base = {"submit", "--application-id", aws.applicationId, "--package-result", dist.toString(),
                "--execution-role-arn", role, "--code-uri", "s3://" + StandInAws.BUCKET + "/code",
                "--log-uri", "s3://" + StandInAws.BUCKET + "/logs", "--env", "emr", "--runner", "ThreadRunner",
                "--pipeline", "greet"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void restartAppPointsTheApplicationAtTheDigestAndSaysSo() {
        CliRun run = aws.run("restart-app", "--application-id", aws.applicationId, "--image-uri",
                aws.pinned());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("Application " + aws.applicationId + " (kedro) STARTED → STARTED in ")
                .contains("  image       " + aws.pinned() + "\n",
                        "  digest      " + aws.digest + "\n", "  release     emr-6.10.0\n");
        assertThat(run.stderr()).contains("==> Restarting EMR Serverless application " + aws.applicationId,
                "Waiting to stop (STOPPING)", "Waiting to start (STARTING)", "The service resolved the image to " + aws.digest);
    }

    @Test
    void restartAppPrintsJsonAndRefusesWhileAJobRuns() throws Exception {
        aws.moto.jobScript("SUBMITTED", "RUNNING");
        SamplePackageResult.write(dist, "1.7.0");
        assertThat(aws.run(submitArgs("--no-wait")).exitCode()).isZero();
        CliRun refused = aws.run("restart-app", "--application-id", aws.applicationId, "--json");
        assertThat(refused.exitCode()).isEqualTo(Main.FAILED);
        assertThat(refused.stderr()).contains("error: Application " + aws.applicationId + " cannot be stopped: 1 job run still running");

        CliRun cancelled = aws.run("restart-app", "--application-id", aws.applicationId, "--json", "--running-jobs", "cancel",
                "--cancel-grace-period", "20");
        assertThat(cancelled.exitCode()).as(cancelled.stderr()).isZero();
        JsonNode json = Json.MAPPER.readTree(cancelled.stdout());
        assertThat(json.path("state").asText()).isEqualTo("STARTED");
        assertThat(json.path("cancelledJobRuns")).hasSize(1);
        assertThat(aws.moto.jobRuns()).singleElement().satisfies(r -> assertThat(r).containsEntry("gracePeriod", 20));
    }

    /** The wait polls by the job's earlier successful runs (ListJobRuns), unless --no-history. */
    @Test
    void submitWaitsByTheHistoryOfEarlierRunsUnlessToldNot() throws Exception {
        SamplePackageResult.write(dist, "1.7.0");
        aws.moto.jobScript("RUNNING@0.2", "SUCCESS");
        for (int i = 0; i < 3; i++) {
            assertThat(aws.run(submitArgs("--no-wait")).exitCode()).isZero();
        }
        Thread.sleep(300); // set-up: until the earlier runs have ended
        aws.moto.jobScript("SUCCESS");
        CliRun run = aws.run(submitArgs());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).containsPattern("Waiting for job run \\w+: expecting ~0 s from 3 earlier runs of '[^']+' \\(0 s to 0 s\\); "
                + "polling every 5 s until 5 s, then less often; giving up after 13 h");

        aws.moto.clearCalls();
        CliRun without = aws.run(submitArgs("--no-history"));
        assertThat(without.exitCode()).as(without.stderr()).isZero();
        assertThat(without.stderr()).doesNotContain("earlier run").containsPattern("\\(first look in [45] s, then less often as it runs");
        assertThat(aws.moto.calls()).noneMatch(c -> c.matches("emr-serverless GET /applications/\\w+/jobruns"));
    }

    @Test
    void submitWaitsAndPrintsTheLinksOfTheRun() throws Exception {
        aws.moto.jobScript("SUCCESS");
        SamplePackageResult.write(dist, "1.7.0");
        CliRun run = aws.run(submitArgs("--run-id", "cli-test-1"));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String jobRunId = aws.moto.jobRuns().get(0).get("jobRunId").toString();
        assertThat(run.stdout()).startsWith("Job run " + jobRunId + " SUCCESS")
                .containsPattern("\n  cost        billed [0-9.]+ vCPU-h, [0-9.]+ GB-h, 0 storage GB-h ≈ \\$[0-9.]+ \\(us-east-1, X86_64, list prices")
                .contains("  console     https://us-east-1.console.aws.amazon.com/emr/home?region=us-east-1#/serverless/applications/"
                        + aws.applicationId + "/job-runs/" + jobRunId + "\n")
                .contains("  logs        s3://" + StandInAws.BUCKET + "/logs/applications/" + aws.applicationId + "/jobs/" + jobRunId + "/\n")
                .contains("  spark ui    kedro-emrs dashboard --application-id " + aws.applicationId + " --job-run-id " + jobRunId)
                .doesNotContain("authToken")
                .contains("  run id      cli-test-1  (--run-id cli-test-1 submits this same run again)");
        assertThat(run.stderr()).contains("==> Submitting the Kedro job to EMR Serverless application " + aws.applicationId,
                "Uploaded the entry point to s3://" + StandInAws.BUCKET + "/code/entrypoint_greeter.py",
                "Job run " + jobRunId + " is SUCCESS", "Job run " + jobRunId + " succeeded");

        CliRun again = aws.run(submitArgs("--run-id", "cli-test-1", "--no-wait", "--json"));
        assertThat(again.exitCode()).isZero();
        assertThat(Json.MAPPER.readTree(again.stdout()).path("jobRun").path("jobRunId").asText()).isEqualTo(jobRunId);
        assertThat(aws.moto.jobRuns()).hasSize(1);
    }

    @Test
    void submitEndsWithTheCostOfTheRunAndAPriceFileReplacesTheListPrices() throws Exception {
        aws.moto.jobScript("SUCCESS");
        aws.moto.jobUsage(java.util.Map.of("vCPUHour", 1.42, "memoryGBHour", 5.68, "storageGBHour", 0, "executionSeconds", 243,
                "queuedMs", 12000));
        SamplePackageResult.write(dist, "1.7.0");
        CliRun run = aws.run(submitArgs());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String line = "billed 1.42 vCPU-h, 5.68 GB-h, 0 storage GB-h ≈ $0.11 (us-east-1, X86_64, list prices of 2026-12-04); "
                + "queued 12 s, ran 4 min 3 s";
        assertThat(run.stderr()).contains(": " + line);
        assertThat(run.stdout()).contains("  cost        " + line + "\n");

        java.nio.file.Path prices = dist.resolve("prices.json");
        java.nio.file.Files.writeString(prices, "{\"region\": \"*\", \"architecture\": \"*\", \"vcpuHour\": 0.1, "
                + "\"memoryGbHour\": 0.01, \"storageGbHour\": 0, \"date\": \"2026-11-01\"}");
        CliRun priced = aws.run(submitArgs("--json", "--price-file", prices.toString()));
        assertThat(priced.exitCode()).as(priced.stderr()).isZero();
        JsonNode cost = Json.MAPPER.readTree(priced.stdout()).path("jobRun").path("cost");
        assertThat(cost.path("vcpuHours").asDouble()).isEqualTo(1.42);
        assertThat(cost.path("memoryGbHours").asDouble()).isEqualTo(5.68);
        assertThat(cost.path("queuedSeconds").asLong()).isEqualTo(12);
        assertThat(cost.path("runSeconds").asLong()).isEqualTo(243);
        assertThat(cost.path("usd").asDouble()).isCloseTo(0.142 + 0.0568, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(cost.path("prices").asText()).isEqualTo("prices of " + prices + " (2026-11-01)");

        aws.moto.clearCalls();
        java.nio.file.Files.writeString(prices, "{\"region\": \"us-east-1\"}");
        CliRun bad = aws.run(submitArgs("--price-file", prices.toString()));
        assertThat(bad.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(bad.stderr()).contains("error: price-file: " + prices + " has a price for region us-east-1 without \"architecture\"");
        assertThat(aws.moto.calls()).isEmpty();
    }

    @Test
    void runsListsThePastRunsNewestFirstWithTheirCost() throws Exception {
        aws.moto.jobScript("SUCCESS");
        aws.moto.jobUsage(java.util.Map.of("vCPUHour", 1.42, "memoryGBHour", 5.68, "storageGBHour", 0, "executionSeconds", 243,
                "queuedMs", 12000));
        SamplePackageResult.write(dist, "1.7.0");
        assertThat(aws.run(submitArgs("--name", "nightly")).exitCode()).isZero();
        assertThat(aws.run(submitArgs("--name", "nightly")).exitCode()).isZero();
        assertThat(aws.run(submitArgs("--name", "adhoc")).exitCode()).isZero();
        java.util.List<String> ids = aws.moto.jobRuns().stream().map(r -> r.get("jobRunId").toString()).toList();

        CliRun runs = aws.run("runs", "--application-id", aws.applicationId, "--name", "nightly", "--since", "1d");
        assertThat(runs.exitCode()).as(runs.stderr()).isZero();
        java.util.List<String> lines = runs.stdout().lines().toList();
        assertThat(lines.get(0)).matches("SUBMITTED \\(UTC\\)\\s+STATE\\s+QUEUED\\s+RAN\\s+vCPU-h\\s+GB-h\\s+COST\\s+NAME\\s+JOB RUN");
        assertThat(lines.subList(1, 3)).allSatisfy(l -> assertThat(l).matches(
                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+SUCCESS\\s+12 s\\s+4 min 3 s\\s+1.42\\s+5.68\\s+\\$0.11\\s+nightly\\s+\\w+"));
        assertThat(lines.get(1)).endsWith(ids.get(1));
        assertThat(lines.get(2)).endsWith(ids.get(0));
        assertThat(lines.get(3)).startsWith("2 runs since ").endsWith("; 2 looked up: billed 2.84 vCPU-h, 11.36 GB-h ≈ $0.22");

        CliRun json = aws.run("runs", "--application-id", aws.applicationId, "--json", "--max-details", "1");
        JsonNode listed = Json.MAPPER.readTree(json.stdout()).path("runs");
        assertThat(listed).hasSize(3);
        assertThat(listed.get(0).path("jobRunId").asText()).isEqualTo(ids.get(2));
        assertThat(listed.get(0).path("cost").path("vcpuHours").asDouble()).isEqualTo(1.42);
        assertThat(listed.get(1).path("cost").isNull()).isTrue();

        aws.moto.clearCalls();
        CliRun bad = aws.run("runs", "--application-id", aws.applicationId, "--since", "last week", "--limit", "0");
        assertThat(bad.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(bad.stderr()).contains("since: \"last week\" is not an age or a date", "limit: 0 is out of range");
        assertThat(aws.moto.calls()).isEmpty();
    }

    @Test
    void aFailedRunExitsWithOneAndShowsWhy() throws Exception {
        aws.moto.jobScript("FAILED");
        aws.moto.failureDetails("Job failed, ExitCode: 1");
        SamplePackageResult.write(dist, "1.7.0");
        CliRun run = aws.run(submitArgs("--json"));
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        JsonNode json = Json.MAPPER.readTree(run.stdout());
        assertThat(json.path("jobRun").path("state").asText()).isEqualTo("FAILED");
        assertThat(json.path("jobRun").path("succeeded").asBoolean()).isFalse();
        assertThat(run.stderr()).contains("ended FAILED: Job failed, ExitCode: 1", "The driver's stderr is not in S3 (yet)");
    }

    @Test
    void badInputExitsWithTwoBeforeAnyCall() throws Exception {
        SamplePackageResult.write(dist, "1.7.0");
        CliRun role = aws.run(submitArgsWithRole("my-role"));
        assertThat(role.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(role.stderr()).contains("error: execution-role-arn: \"my-role\" is not an IAM role ARN");
        // Against real AWS (no endpoint override) only ECR images run; refused before any call, so no AWS is reached.
        CliRun image = CliRun.of("restart-app", "--application-id", aws.applicationId, "--region", "us-east-1",
                "--image-uri", "127.0.0.1:5000/greeter:1");
        assertThat(image.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(image.stderr()).contains("error: image-uri: \"127.0.0.1:5000/greeter:1\" is not an Amazon ECR image URI");
        // Against an endpoint override any registry is taken, but still with a tag or a digest.
        CliRun untagged = aws.run("restart-app", "--application-id", aws.applicationId, "--image-uri", "127.0.0.1:5000/greeter");
        assertThat(untagged.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(untagged.stderr()).contains("error: image-uri: \"127.0.0.1:5000/greeter\" has neither a tag nor a digest");
        CliRun conflict = aws.run(submitArgs("--spark-conf", "spark.pyspark.python=/usr/bin/python3"));
        assertThat(conflict.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(conflict.stderr()).contains("error: spark-conf: spark.pyspark.python=/usr/bin/python3 would run another Python");
        CliRun running = aws.run("restart-app", "--application-id", aws.applicationId, "--running-jobs", "kill");
        assertThat(running.exitCode()).isEqualTo(Main.BAD_INPUT);
        CliRun region = CliRun.of("restart-app", "--application-id", aws.applicationId, "--region", "Frankfurt",
                "--endpoint-url", aws.moto.endpoint().toString());
        assertThat(region.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(region.stderr()).contains("error: region: \"Frankfurt\" is not an AWS region");
        assertThat(aws.moto.calls()).isEmpty();
    }

    /** The guide's runner unless told otherwise: no --runner gives ThreadRunner, --runner '' gives none (Kedro's default). */
    @Test
    void theRunnerIsThreadRunnerByDefaultAndAnEmptyOneSendsNone() throws Exception {
        SamplePackageResult.write(dist, "1.7.0");
        String[] base = {"submit", "--application-id", aws.applicationId, "--package-result", dist.toString(),
                "--execution-role-arn", StandInAws.ROLE, "--code-uri", "s3://" + StandInAws.BUCKET + "/code", "--env", "emr",
                "--no-wait", "--json"};
        assertThat(arguments(aws.run(base))).containsExactly("--env", "emr", "--runner", "ThreadRunner");
        String[] none = java.util.Arrays.copyOf(base, base.length + 2);
        none[base.length] = "--runner";
        none[base.length + 1] = "";
        assertThat(arguments(aws.run(none))).containsExactly("--env", "emr");
    }

    private java.util.List<String> arguments(CliRun submitted) throws Exception {
        assertThat(submitted.exitCode()).as(submitted.stderr()).isZero();
        String jobRunId = Json.MAPPER.readTree(submitted.stdout()).path("jobRun").path("jobRunId").asText();
        return aws.aws.emrServerless().getJobRun(g -> g.applicationId(aws.applicationId).jobRunId(jobRunId)).jobRun().jobDriver()
                .sparkSubmit().entryPointArguments();
    }

    /** Every problem of a command line at once, each naming its option and the fix, before any call. */
    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        CliRun run = aws.run("submit", "--application-id", "App-1", "--execution-role-arn", "foo", "--code-uri", "bucket/code",
                "--package-result", dist.resolve("nowhere").toString());
        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.stderr()).contains("error: 4 problems with the input, each to fix before anything runs:",
                "\n  application-id: ", "\n  execution-role-arn: \"foo\" is not an IAM role ARN", "\n  code-uri: ",
                "\n  package-result: no packaging result at " + dist.resolve("nowhere"));
        assertThat(aws.moto.calls()).isEmpty();
    }

    @Test
    void dashboardPrintsAFreshLink() throws Exception {
        SamplePackageResult.write(dist, "1.7.0");
        CliRun submitted = aws.run(submitArgs("--no-wait", "--json"));
        String jobRunId = Json.MAPPER.readTree(submitted.stdout()).path("jobRun").path("jobRunId").asText();
        CliRun one = aws.run("dashboard", "--application-id", aws.applicationId, "--job-run-id", jobRunId);
        CliRun two = aws.run("dashboard", "--application-id", aws.applicationId, "--job-run-id", jobRunId);
        assertThat(one.exitCode()).as(one.stderr()).isZero();
        assertThat(one.stdout()).startsWith("https://p-" + jobRunId + "-" + aws.applicationId + ".");
        assertThat(two.stdout()).isNotEqualTo(one.stdout());
    }
}
