package io.jenkins.plugins.kedroemrs.core.emrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submission in two halves (stage, start) and the submit-and-wait flow of the CLI and the freestyle build step, against
 * the {@link io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto} stand-in: its idempotent client tokens, its
 * job run lifecycle and its cancels are what plain moto lacks.
 */
class SubmitAndWaitTest {
    @TempDir
    Path dist;

    @RegisterExtension
    final LifelikeEmrs env = new LifelikeEmrs();

    SubmitAndWait flow() {
        return new SubmitAndWait(env.submitter(), env.watcher(), env.progress);
    }

    long startJobRunCalls() throws Exception {
        return env.moto.calls().stream().filter(c -> c.matches("emr-serverless POST /applications/\\w+/jobruns")).count();
    }

    @Test
    void aStagedRequestSavedAsJsonStartsTheSameRunHoweverOftenItIsSent() throws Exception {
        SubmitRequest staged = env.submitter().stage(env.request(dist, "jenkins:c0ffee:job#1@1:17").build());
        assertThat(staged.entrypointFile()).isNull();
        assertThat(staged.entrypointUri()).isEqualTo("s3://" + LifelikeEmrs.BUCKET + "/code/entrypoint_greeter.py");
        SubmitRequest back = Json.read(Json.write(staged), SubmitRequest.class, "submission");
        assertThat(back).isEqualTo(staged);

        SubmittedJobRun first = env.submitter().start(staged);
        SubmittedJobRun again = env.submitter().start(back);
        assertThat(again.jobRunId()).isEqualTo(first.jobRunId());
        assertThat(first.clientToken()).isEqualTo(JobSubmitter.clientToken("jenkins:c0ffee:job#1@1:17"));
        assertThat(env.moto.jobRuns()).hasSize(1);
        assertThat(startJobRunCalls()).isEqualTo(2);
    }

    @Test
    void stagingFixesARandomRunIdSoThatStartIsIdempotentToo() throws Exception {
        SubmitRequest staged = env.submitter().stage(env.request(dist, null).build());
        assertThat(staged.runId()).isNotBlank();
        assertThat(env.submitter().start(staged).jobRunId()).isEqualTo(env.submitter().start(staged).jobRunId());
        assertThatThrownBy(() -> env.submitter().start(env.request(dist, "x").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("call stage first");
    }

    @Test
    void aRunThatSucceedsIsWaitedFor() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING*2", "SUCCESS");
        List<String> seen = new ArrayList<>();
        SubmitAndWait.Outcome o = flow().run(env.request(dist, "w-1").build(), true, null, null, r -> seen.add(r.jobRunId()),
                env.clock.sleeper());
        assertThat(o.succeeded()).isTrue();
        assertThat(o.result().state()).isEqualTo("SUCCESS");
        assertThat(seen).containsExactly(o.run().jobRunId());
        assertThat(o.result().toMap()).containsEntry("jobRunId", o.run().jobRunId()).containsEntry("state", "SUCCESS")
                .containsEntry("links", java.util.Map.of("console", o.run().consoleUrl(), "s3Logs",
                        "https://s3.console.aws.amazon.com/s3/buckets/" + LifelikeEmrs.BUCKET + "?region=us-east-1&prefix=logs/applications/"
                                + env.applicationId + "/jobs/" + o.run().jobRunId() + "/&showversions=false"));
    }

    @Test
    void withoutWaitingItReturnsTheSubmittedRun() throws Exception {
        SubmitAndWait.Outcome o = flow().run(env.request(dist, "w-2").build(), false, null, null, r -> { }, env.clock.sleeper());
        assertThat(o.result()).isNull();
        assertThat(o.succeeded()).isTrue();
        assertThat(env.moto.calls()).noneMatch(c -> c.matches("emr-serverless GET /applications/\\w+/jobruns/\\w+"));
    }

    @Test
    void aRunThatOutlastsTheWaitIsCancelled() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING*500");
        SubmitAndWait.Outcome o = flow().run(env.request(dist, "w-3").build(), true, Duration.ofMinutes(2), Duration.ofSeconds(15),
                r -> { }, env.clock.sleeper());
        assertThat(o.gaveUp()).isTrue();
        assertThat(o.succeeded()).isFalse();
        assertThat(o.result().state()).isEqualTo("CANCELLED");
        assertThat(env.moto.jobRuns()).singleElement().satisfies(r -> assertThat(r).containsEntry("gracePeriod", 15));
    }

    @Test
    void anInterruptCancelsTheRunAndWaitsForTheCancel() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING*500");
        AtomicInteger sleeps = new AtomicInteger();
        PollLoop.Sleeper interruptedOnce = d -> {
            if (sleeps.incrementAndGet() == 3) {
                throw new InterruptedException("aborted");
            }
            env.clock.advance(d);
        };
        SubmitAndWait.Outcome o = flow().run(env.request(dist, "w-4").build(), true, null, null, r -> { }, interruptedOnce);
        assertThat(o.interrupted()).isTrue();
        assertThat(o.succeeded()).isFalse();
        assertThat(o.result().state()).isEqualTo("CANCELLED");
        assertThat(env.progress.events()).contains("warn: Interrupted: cancelling job run " + o.run().jobRunId());
    }

    @Test
    void aSecondInterruptWhileCancellingGivesUpSayingWhereToLook() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING*500");
        PollLoop.Sleeper alwaysInterrupted = d -> {
            throw new InterruptedException("aborted");
        };
        assertThatThrownBy(() -> flow().run(env.request(dist, "w-5").build(), true, null, null, r -> { }, alwaysInterrupted))
                .isInstanceOf(EngineException.class).hasMessageContaining("Interrupted again while cancelling job run");
        assertThat(Thread.interrupted()).isTrue();
    }
}
