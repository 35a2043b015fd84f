package io.jenkins.plugins.kedroemrs.core.emrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.testing.JavaSerialization;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.core.testing.RecordingProgress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.Application;
import software.amazon.awssdk.services.emrserverless.model.WorkerTypeSpecificationInput;

/**
 * Restarts against {@link io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto} (moto's applications change
 * state at once and drop imageConfiguration, so STOPPING/STARTING, the refusal to stop under running job runs and
 * resolvedImageDigest come from the stand-in), and one against plain moto.
 */
class ApplicationRestarterTest {
    static final String DIGEST = "sha256:" + "1f".repeat(32);
    static final String OTHER_DIGEST = "sha256:" + "e0".repeat(32);
    static final String PINNED = LifelikeEmrs.REPO + "@" + DIGEST;

    @TempDir
    Path dist;

    @RegisterExtension
    final LifelikeEmrs env = new LifelikeEmrs();

    RestartResult restart(RestartRequest request) throws InterruptedException {
        return env.restarter().restart(request, env.clock.sleeper());
    }

    Application application() {
        return env.emr.getApplication(g -> g.applicationId(env.applicationId)).application();
    }

    List<String> calls() throws Exception {
        return env.moto.calls().stream().map(c -> c.replace(env.applicationId, "APP")).toList();
    }

    @Test
    void aStartedApplicationIsStoppedPointedAtTheNewDigestEverywhereAndStarted() throws Exception {
        WorkerTypeSpecificationInput old = WorkerTypeSpecificationInput.builder()
                .imageConfiguration(i -> i.imageUri(LifelikeEmrs.REPO + ":old")).build();
        env.emr.stopApplication(s -> s.applicationId(env.applicationId));
        application();
        application();
        env.emr.updateApplication(u -> u.applicationId(env.applicationId).workerTypeSpecifications(Map.of("Driver", old, "Executor", old)));
        env.emr.startApplication(s -> s.applicationId(env.applicationId));
        application();
        assertThat(application().stateAsString()).isEqualTo("STARTED");

        RestartResult result = restart(RestartRequest.of(env.applicationId).withImageUri(PINNED));

        assertThat(result.stateBefore()).isEqualTo("STARTED");
        assertThat(result.state()).isEqualTo("STARTED");
        assertThat(result.imageUri()).isEqualTo(PINNED);
        assertThat(result.resolvedImageDigest()).isEqualTo(DIGEST);
        assertThat(result.stopped()).isTrue();
        assertThat(result.updated()).isTrue();
        assertThat(result.cancelledJobRuns()).isEmpty();
        Application now = application();
        assertThat(now.imageConfiguration().imageUri()).isEqualTo(PINNED);
        assertThat(now.workerTypeSpecifications()).containsOnlyKeys("Driver", "Executor");
        now.workerTypeSpecifications().values().forEach(w -> {
            assertThat(w.imageConfiguration().imageUri()).isEqualTo(PINNED);
            assertThat(w.imageConfiguration().resolvedImageDigest()).isEqualTo(DIGEST);
        });
        assertThat(env.progress.events()).containsSubsequence(
                "phase: Restarting EMR Serverless application " + env.applicationId + " onto " + PINNED,
                "info: Application kedro (emr-6.10.0) is STARTED, image " + LifelikeEmrs.REPO + ":old",
                "info: Stopping the application, so that no worker keeps the old image",
                "info: Waiting to stop (STOPPING)",
                "info: Application is STOPPED",
                "info: Updated the application: image " + LifelikeEmrs.REPO + ":old → " + PINNED + " (also for Driver, Executor)",
                "info: Starting the application",
                "info: Waiting to start (STARTING)",
                "info: Application is STARTED",
                "info: The service resolved the image to " + DIGEST);
    }

    @Test
    void theCallsAreStopUpdateStartInThatOrder() throws Exception {
        env.moto.reset();
        String id = env.emr.createApplication(c -> c.name("kedro").releaseLabel("emr-6.10.0").type("SPARK")).applicationId();
        env.moto.clearCalls();
        restart(RestartRequest.of(id).withImageUri(PINNED).withReleaseLabel("emr-7.1.0"));
        assertThat(env.moto.calls().stream().map(c -> c.replace(id, "APP")).toList()).containsExactly(
                "emr-serverless GET /applications/APP",
                "emr-serverless GET /applications/APP/jobruns",
                "emr-serverless POST /applications/APP/stop",
                "emr-serverless GET /applications/APP",
                "emr-serverless GET /applications/APP",
                "emr-serverless PATCH /applications/APP",
                "emr-serverless POST /applications/APP/start",
                "emr-serverless GET /applications/APP",
                "emr-serverless GET /applications/APP");
        assertThat(env.emr.getApplication(g -> g.applicationId(id)).application().releaseLabel()).isEqualTo("emr-7.1.0");
    }

    @Test
    void aDigestOtherThanTheOneAskedForFailsTheRestart() throws Exception {
        env.moto.resolvesTo(LifelikeEmrs.REPO + ":new", OTHER_DIGEST);
        assertThatThrownBy(() -> restart(RestartRequest.of(env.applicationId).withImageUri(LifelikeEmrs.REPO + ":new")
                .withExpectDigest(DIGEST)))
                .isInstanceOf(EngineException.class)
                .hasMessage("Application " + env.applicationId + " does not run the image asked for: expected " + DIGEST
                        + ", but the application resolved its image to " + OTHER_DIGEST + ". Check that the image was pushed to "
                        + LifelikeEmrs.REPO + ":new and that nothing re-tagged it");
    }

    @Test
    void aTagIsReportedWithTheDigestItResolvedTo() throws Exception {
        env.moto.resolvesTo(LifelikeEmrs.REPO + ":new", OTHER_DIGEST);
        RestartResult result = restart(RestartRequest.of(env.applicationId).withImageUri(LifelikeEmrs.REPO + ":new"));
        assertThat(result.resolvedImageDigest()).isEqualTo(OTHER_DIGEST);
        assertThat(result.toMap()).containsEntry("resolvedImageDigest", OTHER_DIGEST).containsEntry("state", "STARTED");
    }

    @Test
    void runningJobRunsAreRefusedWithoutStoppingAnything() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "busy").build());
        assertThatThrownBy(() -> restart(RestartRequest.of(env.applicationId).withImageUri(PINNED)))
                .isInstanceOf(EngineException.class)
                .hasMessage("Application " + env.applicationId + " cannot be stopped: 1 job run still running (" + run.jobRunId()
                        + " SUBMITTED). Wait for them to end, cancel them, or ask the restart to (running-jobs wait or cancel)");
        assertThat(calls()).noneMatch(c -> c.endsWith("/stop") || c.startsWith("emr-serverless PATCH"));
        assertThat(application().stateAsString()).isEqualTo("STARTED");
    }

    @Test
    void runningJobRunsCanBeWaitedFor() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING*3", "SUCCESS");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "busy").build());
        RestartResult result = restart(RestartRequest.of(env.applicationId).withImageUri(PINNED)
                .withRunningJobs(RestartRequest.RunningJobs.WAIT));
        assertThat(result.state()).isEqualTo("STARTED");
        assertThat(result.cancelledJobRuns()).isEmpty();
        assertThat(env.progress.events()).containsSubsequence(
                "info: Waiting for 1 job run still running (" + run.jobRunId() + " SUBMITTED) to end before stopping the application",
                "info: No job run is running any more",
                "info: Stopping the application, so that no worker keeps the old image");
        assertThat(env.moto.jobRuns()).singleElement().satisfies(r -> assertThat(r).containsEntry("state", "SUCCESS"));
    }

    @Test
    void runningJobRunsCanBeCancelled() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "busy").build());
        RestartResult result = restart(RestartRequest.of(env.applicationId).withImageUri(PINNED)
                .withRunningJobs(RestartRequest.RunningJobs.CANCEL).withCancelGrace(Duration.ofSeconds(15)));
        assertThat(result.cancelledJobRuns()).containsExactly(run.jobRunId());
        assertThat(env.moto.jobRuns()).singleElement().satisfies(r -> assertThat(r).containsEntry("state", "CANCELLED")
                .containsEntry("gracePeriod", 15));
        assertThat(env.progress.events()).contains("info: Cancelled job run " + run.jobRunId() + " (grace period 15 s)");
    }

    @Test
    void aStoppedApplicationIsJustStartedOrLeftStopped() throws Exception {
        env.emr.stopApplication(s -> s.applicationId(env.applicationId));
        application();
        application();
        env.moto.clearCalls();
        RestartResult left = restart(RestartRequest.of(env.applicationId).withImageUri(PINNED).withLeaveStopped(true));
        assertThat(left.stateBefore()).isEqualTo("STOPPED");
        assertThat(left.state()).isEqualTo("STOPPED");
        assertThat(left.stopped()).isFalse();
        assertThat(left.updated()).isTrue();
        assertThat(left.resolvedImageDigest()).isNull();
        assertThat(calls()).noneMatch(c -> c.endsWith("/start") || c.endsWith("/stop"));

        RestartResult started = restart(RestartRequest.of(env.applicationId));
        assertThat(started.stateBefore()).isEqualTo("STOPPED");
        assertThat(started.state()).isEqualTo("STARTED");
        assertThat(started.stopped()).isFalse();
        assertThat(started.updated()).isFalse();
        assertThat(started.resolvedImageDigest()).as("the pinned digest is still checked").isEqualTo(DIGEST);
    }

    @Test
    void everyWaitHasATimeout() throws Exception {
        env.moto.applicationScripts(List.of("STARTING", "STARTED"), List.of("STOPPING*1000"));
        assertThatThrownBy(() -> restart(RestartRequest.of(env.applicationId).withWaitTimeout(Duration.ofMinutes(1))))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("Timed out waiting for the application to stop: gave up after 1 min and ")
                .hasMessageEndingWith(" polls, still STOPPING. Raise wait-timeout if it is just slow");
    }

    @Test
    void aStartThatFailsSaysSo() throws Exception {
        env.moto.applicationScripts(List.of("STARTING", "STOPPED"), List.of("STOPPING", "STOPPED"));
        assertThatThrownBy(() -> restart(RestartRequest.of(env.applicationId).withImageUri(PINNED)))
                .isInstanceOf(EngineException.class)
                .hasMessage("Waiting for the application to start failed: the application is STOPPED instead of starting");
    }

    @Test
    void aRestartResumesFromItsSerializedState() throws Exception {
        RestartRequest request = RestartRequest.of(env.applicationId).withImageUri(PINNED);
        RestartStep step = env.restarter().begin(request);
        assertThat(step.state().phase()).isEqualTo("AWAIT_STOPPED");
        RestartState saved = JavaSerialization.roundTrip(step.state());
        assertThat(saved).isEqualTo(step.state());

        ApplicationRestarter afterRestart = env.restarter();
        while (!step.done()) {
            env.clock.advance(step.delay());
            step = afterRestart.advance(request, JavaSerialization.roundTrip(step.state()));
        }
        assertThat(step.result().resolvedImageDigest()).isEqualTo(DIGEST);
        assertThat(step.result().stopped()).isTrue();
        assertThat(calls().stream().filter(c -> c.endsWith("/stop"))).hasSize(1);
    }

    @Test
    void aRestartSavedAsJsonResumesAndSaysWhatItAwaitsAndWhatAStopLeaves() throws Exception {
        RestartRequest request = RestartRequest.of(env.applicationId).withImageUri(PINNED);
        RestartStep step = env.restarter().begin(request);
        String saved = step.state().toJson();
        assertThat(RestartState.fromJson(saved)).isEqualTo(step.state());
        assertThat(step.state().status(env.applicationId, env.clock.instant())).isEqualTo("waiting for application "
                + env.applicationId + " to stop (not looked at yet after 0 s, 0 polls, next poll in 2 s, giving up in 15 min)");
        assertThat(step.state().leftBehind(env.applicationId)).isEqualTo("Application " + env.applicationId + " was asked to stop "
                + "and stops on its own; it was not updated and will not be started again: run the restart again or start it in "
                + "the console.");

        while (!step.done()) {
            env.clock.advance(step.delay());
            step = env.restarter().advance(request, RestartState.fromJson(step.state().toJson()));
            if (step.state().phase().equals("AWAIT_STARTED")) {
                assertThat(step.state().leftBehind(env.applicationId)).isEqualTo("Application " + env.applicationId
                        + " was stopped, updated, and asked to start; it finishes starting on its own, but its image digest was "
                        + "not checked.");
            }
        }
        assertThat(step.result().resolvedImageDigest()).isEqualTo(DIGEST);
        assertThat(step.result().toEnvironment()).containsEntry("EMRS_APPLICATION_ID", env.applicationId)
                .containsEntry("EMRS_APPLICATION_STATE", "STARTED").containsEntry("EMRS_IMAGE_URI", PINNED)
                .containsEntry("EMRS_RESOLVED_IMAGE_DIGEST", DIGEST);
        assertThat(calls().stream().filter(c -> c.endsWith("/stop"))).hasSize(1);
    }

    @Test
    void aRestartStoppedWhileJobRunsDrainLeavesTheApplicationAsItWas() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING*20");
        env.submitter().submit(env.request(dist, "busy").build());
        RestartStep step = env.restarter().begin(RestartRequest.of(env.applicationId).withRunningJobs(RestartRequest.RunningJobs.WAIT));
        assertThat(step.state().phase()).isEqualTo("DRAIN");
        assertThat(step.state().leftBehind(env.applicationId)).isEqualTo("Application " + env.applicationId
                + " is left STARTED, not stopped and not updated.");
    }

    @Test
    void anInterruptedRestartSaysWhatItLeaves() throws Exception {
        java.util.concurrent.atomic.AtomicInteger sleeps = new java.util.concurrent.atomic.AtomicInteger();
        assertThatThrownBy(() -> env.restarter().restart(RestartRequest.of(env.applicationId).withImageUri(PINNED), d -> {
            if (sleeps.incrementAndGet() == 2) {
                throw new InterruptedException("aborted");
            }
            env.clock.advance(d);
        })).isInstanceOf(InterruptedException.class);
        assertThat(env.progress.events()).contains("warn: Interrupted. Application " + env.applicationId + " was asked to stop and "
                + "stops on its own; it was not updated and will not be started again: run the restart again or start it in the "
                + "console.");
    }

    @Test
    void aTerminatedApplicationCannotBeRestarted() throws Exception {
        env.emr.stopApplication(s -> s.applicationId(env.applicationId));
        application();
        application();
        env.emr.deleteApplication(d -> d.applicationId(env.applicationId));
        assertThatThrownBy(() -> restart(RestartRequest.of(env.applicationId)))
                .isInstanceOf(EngineException.class).hasMessageContaining("is TERMINATED");
    }

    /** Plain moto: applications change state at once and keep no image, but the flow is the same. */
    @Test
    void restartsAStartedApplicationOnPlainMoto() throws Exception {
        MotoServer moto = MotoServer.shared();
        moto.reset();
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            EmrServerlessClient emr = aws.emrServerless();
            String id = emr.createApplication(c -> c.name("kedro").releaseLabel("emr-6.10.0").type("SPARK")).applicationId();
            emr.startJobRun(s -> s.applicationId(id).executionRoleArn(LifelikeEmrs.ROLE).clientToken("t")
                    .jobDriver(d -> d.sparkSubmit(p -> p.entryPoint("s3://b/e.py")))); // moto: SUCCESS at once
            RecordingProgress progress = new RecordingProgress();
            RestartResult result = new ApplicationRestarter(emr, MotoServer.REGION, progress).restart(
                    RestartRequest.of(id).withImageUri(PINNED), d -> { });
            assertThat(result.stateBefore()).isEqualTo("STARTED");
            assertThat(result.state()).isEqualTo("STARTED");
            assertThat(result.stopped()).isTrue();
            assertThat(result.updated()).isTrue();
            assertThat(result.consoleUrl()).isEqualTo("https://us-east-1.console.aws.amazon.com/emr/home?region=us-east-1"
                    + "#/serverless/applications/" + id);
        }
    }
}
