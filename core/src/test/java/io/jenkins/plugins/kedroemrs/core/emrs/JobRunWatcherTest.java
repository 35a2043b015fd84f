package io.jenkins.plugins.kedroemrs.core.emrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.testing.JavaSerialization;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The job-run wait against {@link io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto}: moto's job runs are
 * SUCCESS at once, so the state sequences, failures, cancels, throttling and idempotent client tokens of the real
 * service come from the stand-in's scripts.
 */
class JobRunWatcherTest {
    @TempDir
    Path dist;

    @RegisterExtension
    final LifelikeEmrs env = new LifelikeEmrs();

    List<String> stateLines() {
        return env.progress.events().stream().filter(e -> e.matches("info: Job run \\w+ is [A-Z]+ .*")).toList();
    }

    @Test
    void everyStateChangeIsLoggedOnceAndPollsFollowThePolicy() throws Exception {
        env.moto.jobScript("SUBMITTED", "PENDING", "SCHEDULED", "RUNNING*3", "SUCCESS");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-1").build());
        JobRunWatcher watcher = env.watcher();
        JobRunResult result = watcher.await(watcher.begin(run, null), env.clock.sleeper());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.state()).isEqualTo("SUCCESS");
        assertThat(result.polls()).isEqualTo(7);
        assertThat(result.driverStderrTail()).isNull();
        assertThat(stateLines()).extracting(l -> l.replaceAll(".* is ([A-Z]+) .*", "$1"))
                .containsExactly("SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "SUCCESS");
        assertThat(stateLines().get(0)).isEqualTo("info: Job run " + run.jobRunId() + " is SUBMITTED (after 5 s)");
        assertThat(stateLines().get(4)).isEqualTo("info: Job run " + run.jobRunId() + " is SUCCESS (after 35 s)");
        assertThat(env.progress.events()).contains("info: Job run " + run.jobRunId() + " succeeded (0 s of execution)");
        assertThat(env.moto.calls().stream().filter(c -> c.matches("emr-serverless GET /applications/\\w+/jobruns/\\w+")))
                .hasSize(7);
    }

    @Test
    void aFailedRunShowsItsDetailsAndTheEndOfTheDriversStderr() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING", "FAILED");
        env.moto.failureDetails("Job failed, ExitCode: 1. Last few exceptions: ValueError: no greeting");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-2").build());
        String stderr = IntStream.rangeClosed(1, 200).mapToObj(i -> "stderr line " + i).collect(Collectors.joining("\n"));
        env.s3.putObject(p -> p.bucket(LifelikeEmrs.BUCKET).key("logs/applications/" + run.applicationId() + "/jobs/"
                + run.jobRunId() + "/SPARK_DRIVER/stderr.gz"), RequestBody.fromBytes(gzip(stderr)));

        JobRunWatcher watcher = env.watcher();
        JobRunResult result = watcher.await(watcher.begin(run, null), env.clock.sleeper());

        assertThat(result.succeeded()).isFalse();
        assertThat(result.state()).isEqualTo("FAILED");
        assertThat(result.stateDetails()).isEqualTo("Job failed, ExitCode: 1. Last few exceptions: ValueError: no greeting");
        assertThat(result.driverStderrTail().lines().toList()).hasSize(DriverLogs.DEFAULT_LINES)
                .startsWith("stderr line 141").endsWith("stderr line 200");
        assertThat(env.progress.events()).contains(
                "warn: Job run " + run.jobRunId() + " ended FAILED: Job failed, ExitCode: 1. Last few exceptions: ValueError: no greeting",
                "warn: The driver's stderr ends with (s3://" + LifelikeEmrs.BUCKET + "/logs/applications/" + run.applicationId()
                        + "/jobs/" + run.jobRunId() + "/SPARK_DRIVER/stderr.gz, last 60 lines):",
                "info: | stderr line 200");
        assertThat(env.progress.all()).doesNotContain("| stderr line 140\n");
    }

    @Test
    void aFailedRunWithoutLogsInS3SaysWhereTheyWouldBe() throws Exception {
        env.moto.jobScript("SUBMITTED", "FAILED");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-3").build());
        JobRunWatcher watcher = env.watcher();
        JobRunResult result = watcher.await(watcher.begin(run, null), env.clock.sleeper());
        assertThat(result.driverStderrTail()).isNull();
        assertThat(env.progress.all()).contains("The driver's stderr is not in S3 (yet) at s3://" + LifelikeEmrs.BUCKET
                + "/logs/applications/" + run.applicationId() + "/jobs/" + run.jobRunId() + "/SPARK_DRIVER/stderr.gz");
    }

    /** The stand-in's timed entries ("RUNNING@S"), which stand in for a run of a given length as the service runs it. */
    @Test
    void aTimedScriptEntryHoldsItsStateForItsTimeWhateverThePolls() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING@2", "SUCCESS");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-timed").build());
        long started = System.nanoTime();
        List<String> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            seen.add(env.emr.getJobRun(g -> g.applicationId(env.applicationId).jobRunId(run.jobRunId())).jobRun().stateAsString());
        }
        assertThat(seen).containsExactly("SUBMITTED", "RUNNING", "RUNNING", "RUNNING", "RUNNING");
        Thread.sleep(Math.max(0, 2100 - (System.nanoTime() - started) / 1_000_000));
        assertThat(env.emr.getJobRun(g -> g.applicationId(env.applicationId).jobRunId(run.jobRunId())).jobRun().stateAsString())
                .isEqualTo("SUCCESS");
    }

    @Test
    void cancelGoesThroughCancellingWithTheGracePeriod() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-4").build());
        JobRunWatcher watcher = env.watcher();
        WatchStep step = watcher.begin(run, null);
        step = watcher.poll(step.watch());
        step = watcher.poll(step.watch());
        assertThat(step.watch().poll().observed()).isEqualTo("RUNNING");

        watcher.cancel(run, Duration.ofSeconds(30));
        JobRunResult result = watcher.await(step, env.clock.sleeper());

        assertThat(result.state()).isEqualTo("CANCELLED");
        assertThat(stateLines()).extracting(l -> l.replaceAll(".* is ([A-Z]+) .*", "$1"))
                .containsExactly("SUBMITTED", "RUNNING", "CANCELLING", "CANCELLED");
        assertThat(env.progress.events()).contains("info: Cancelling job run " + run.jobRunId() + " (grace period 30 s)");
        assertThat(env.moto.jobRuns()).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("state", "CANCELLED").containsEntry("gracePeriod", 30);
        });

        watcher.cancel(run, null);
        assertThat(env.progress.events()).contains("info: Job run " + run.jobRunId() + " had already ended (CANCELLED)");
    }

    @Test
    void errorsThatOutlastTheSdkRetriesOnlyPostponeThePoll() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING", "SUCCESS");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-5").build());
        JobRunWatcher watcher = env.watcher();
        WatchStep step = watcher.begin(run, null);
        // Every attempt of one SDK call fails (the factory's client tries 8 times): the poll is retried later.
        env.moto.fault("GET", "/jobruns/\\w+$", 500, "InternalServerException", 8);
        step = watcher.poll(step.watch());
        assertThat(step.done()).isFalse();
        assertThat(step.watch().poll().attempt()).isEqualTo(1);
        assertThat(step.delay()).isEqualTo(Duration.ofMillis(5100));
        assertThat(env.progress.events()).contains("warn: Could not get the job run's state (InternalServerException: "
                + "Rate exceeded); trying again in 5 s");
        // Throttling the SDK absorbs is not even noticed.
        env.moto.fault("GET", "/jobruns/\\w+$", 429, "ThrottlingException", 2);
        JobRunResult result = watcher.await(step, env.clock.sleeper());
        assertThat(result.succeeded()).isTrue();
        assertThat(env.progress.events().stream().filter(e -> e.startsWith("warn:"))).hasSize(1);
        assertThat(env.moto.calls().stream().filter(c -> c.matches(".* GET /applications/\\w+/jobruns/\\w+"))).hasSize(8 + 2 + 3);
    }

    /** Session credentials (withAWS, AWS_SESSION_TOKEN) expire under a long wait: the run is not over, only our view of it. */
    @Test
    void expiredCredentialsEndTheWatchSayingTheRunGoesOnAndHowToCancelIt() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-expired").build());
        JobRunWatcher watcher = env.watcher();
        WatchStep step = watcher.poll(watcher.begin(run, null).watch());
        step = watcher.poll(step.watch());
        assertThat(step.watch().poll().observed()).isEqualTo("RUNNING");
        env.moto.fault("GET", "/jobruns/\\w+$", 403, "ExpiredTokenException", 1);
        WatchStep running = step;
        assertThatThrownBy(() -> watcher.poll(running.watch())).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("Stopped watching job run " + run.jobRunId() + ": the AWS credentials expired (ExpiredTokenException")
                .hasMessageContaining("The job run is not cancelled: it goes on in EMR Serverless (last seen RUNNING)")
                .hasMessageContaining(JobRunLinks.consoleUrl(run.region(), run.applicationId(), run.jobRunId()))
                .hasMessageContaining("aws emr-serverless cancel-job-run --application-id " + run.applicationId() + " --job-run-id "
                        + run.jobRunId() + " --region " + run.region());
        // Expired is not transient: one GetJobRun, not the SDK's eight attempts.
        assertThat(env.moto.calls().stream().filter(c -> c.matches(".* GET /applications/\\w+/jobruns/\\w+"))).hasSize(3);
        // A cancel with the same credentials says the same, instead of an SDK stack trace.
        env.moto.fault("DELETE", "/jobruns/\\w+$", 403, "ExpiredTokenException", 1);
        assertThatThrownBy(() -> watcher.cancel(run, null)).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("Could not cancel job run " + run.jobRunId() + ": the AWS credentials expired");
    }

    @Test
    void resubmittingTheSameRunReturnsTheSameJobRun() throws Exception {
        SubmittedJobRun first = env.submitter().submit(env.request(dist, "https://ci/job/x/17/#step-9").build());
        SubmittedJobRun again = env.submitter().submit(env.request(dist, "https://ci/job/x/17/#step-9").build());
        SubmittedJobRun other = env.submitter().submit(env.request(dist, "https://ci/job/x/18/#step-9").build());
        assertThat(again.jobRunId()).isEqualTo(first.jobRunId());
        assertThat(again.clientToken()).isEqualTo(first.clientToken());
        assertThat(other.jobRunId()).isNotEqualTo(first.jobRunId());
        assertThat(env.moto.jobRuns()).extracting(r -> r.get("jobRunId")).containsExactlyInAnyOrder(first.jobRunId(), other.jobRunId());
        SubmittedJobRun random = env.submitter().submit(env.request(dist, null).build());
        assertThat(random.runId()).matches("[0-9a-f-]{36}");
        assertThat(env.moto.jobRuns()).hasSize(3);
    }

    @Test
    void theDashboardUrlIsFetchedFreshWhenAskedFor() throws Exception {
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-6").build());
        String one = JobRunLinks.dashboardUrl(env.emr, run.applicationId(), run.jobRunId());
        String two = JobRunLinks.dashboardUrl(env.emr, run.applicationId(), run.jobRunId());
        assertThat(one).startsWith("https://p-" + run.jobRunId() + "-" + run.applicationId() + ".emrappui-prod.us-east-1.amazonaws.com/");
        assertThat(two).isNotEqualTo(one);
    }

    @Test
    void theWaitGivesUpAtItsDeadline() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-7").build());
        JobRunWatcher watcher = env.watcher();
        JobRunResult result = watcher.await(watcher.begin(run, Duration.ofMinutes(3)), env.clock.sleeper());
        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(result.state()).isEqualTo("RUNNING");
        assertThat(result.polls()).isBetween(30L, 40L);
        assertThat(env.progress.events()).anyMatch(e -> e.startsWith("warn: Stopped waiting for job run " + run.jobRunId()
                + ": gave up after 3 min and ") && e.endsWith(" polls, still RUNNING"));
    }

    @Test
    void aWatchResumesFromItsSerializedStateWithoutResubmitting() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING*2", "SUCCESS");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-8").build());
        WatchStep step = env.watcher().begin(run, null);
        step = env.watcher().poll(step.watch());
        JobRunWatch saved = JavaSerialization.roundTrip(step.watch());
        assertThat(saved).isEqualTo(step.watch());

        JobRunWatcher afterRestart = env.watcher();
        JobRunResult result = afterRestart.await(new WatchStep(saved, step.delay(), null), env.clock.sleeper());
        assertThat(result.succeeded()).isTrue();
        assertThat(result.polls()).isEqualTo(4);
        assertThat(env.moto.calls().stream().filter(c -> c.contains("POST /applications/"))).hasSize(1);
        Map<String, Object> map = result.toMap();
        assertThat(map).containsEntry("state", "SUCCESS").containsEntry("succeeded", true);
        assertThat(((Map<?, ?>) map.get("run")).get("jobRunId")).isEqualTo(run.jobRunId());
    }

    @Test
    void aWatchSavedAsJsonResumesTheSameRunAndSaysWhatItAwaits() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING*2", "SUCCESS");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-9").build());
        WatchStep step = env.watcher().begin(run, null);
        env.clock.advance(step.delay());
        step = env.watcher().poll(step.watch());
        env.clock.advance(step.delay());
        step = env.watcher().poll(step.watch());
        String saved = step.watch().toJson();
        assertThat(JobRunWatch.fromJson(saved)).isEqualTo(step.watch());
        assertThat(step.watch().status(env.clock.instant())).isEqualTo("waiting for job run " + run.jobRunId() + " on application "
                + env.applicationId + " to end (RUNNING after 10 s, 2 polls, next poll in 5 s, giving up in 12 h 59 min)");

        JobRunResult result = env.watcher().await(new WatchStep(JobRunWatch.fromJson(saved), step.delay(), null), env.clock.sleeper());
        assertThat(result.succeeded()).isTrue();
        assertThat(env.moto.calls().stream().filter(c -> c.matches("emr-serverless POST /applications/\\w+/jobruns"))).hasSize(1);
        assertThat(result.toEnvironment()).containsEntry("EMRS_JOB_RUN_ID", run.jobRunId()).containsEntry("EMRS_JOB_RUN_STATE", "SUCCESS")
                .containsEntry("EMRS_JOB_RUN_CONSOLE_URL", run.consoleUrl())
                .containsEntry("EMRS_JOB_RUN_LOGS", run.logLocation()).containsEntry("EMRS_APPLICATION_ID", env.applicationId);
    }

    @Test
    void aCancelIsConfirmedOnceTheServiceShowsItWithoutWaitingForTheEnd() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING*50");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-10").build());
        JobRunWatcher watcher = env.watcher();
        WatchStep step = watcher.poll(watcher.begin(run, null).watch());
        step = watcher.beginCancel(run, Duration.ofSeconds(30), Duration.ofSeconds(20));
        assertThat(step.delay()).isEqualTo(Duration.ofSeconds(1));
        while (!step.done()) {
            env.clock.advance(step.delay());
            step = watcher.confirmCancel(step.watch());
        }
        assertThat(step.result().state()).isEqualTo("CANCELLING");
        assertThat(step.result().timedOut()).isFalse();
        assertThat(env.moto.jobRuns()).singleElement().satisfies(r -> assertThat(r).containsEntry("gracePeriod", 30));
        assertThat(env.progress.events()).contains("info: Cancelling job run " + run.jobRunId() + " (grace period 30 s)",
                "info: Job run " + run.jobRunId() + " is CANCELLING");
    }

    @Test
    void aCancelNotSeenInTimeIsReportedAsSuch() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING*50");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "run-11").build());
        JobRunWatcher watcher = env.watcher();
        WatchStep step = watcher.beginCancel(run, null, Duration.ofSeconds(3));
        env.moto.fault("GET", "/jobruns/[^/]+$", 503, "ServiceUnavailableException", 100);
        while (!step.done()) {
            env.clock.advance(step.delay());
            step = watcher.confirmCancel(step.watch());
        }
        assertThat(step.result().timedOut()).isTrue();
        assertThat(env.progress.events()).anyMatch(e -> e.startsWith("warn: Could not see the cancel of job run " + run.jobRunId()));
    }

    static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
