package io.jenkins.plugins.kedroemrs.core.emrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import io.jenkins.plugins.kedroemrs.core.polling.PollPolicy;
import io.jenkins.plugins.kedroemrs.core.polling.Poller;
import io.jenkins.plugins.kedroemrs.core.polling.RunHistory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wait that polls by the history of the same job's earlier runs, against the
 * {@link io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto} stand-in: earlier runs are real job runs of the
 * stand-in whose timed scripts ("RUNNING@S") make them last S seconds, as the service records them (createdAt at the
 * submission, updatedAt at the end). The waits are real ones (system clock, real sleeps) on a policy scaled down to
 * seconds (first look after 250 ms instead of 5.1 s), so the counts of GetJobRun calls are what the stand-in received.
 */
class JobRunHistoryTest {
    static final String NAME = "kedro-demo";
    /** {@link PollPolicy#JOB_RUN} in seconds instead of minutes: 250 ms first, 4 % of the time waited, at most 5 s. */
    static final PollPolicy SCALED = PollPolicy.JOB_RUN.toBuilder().initialDelay(Duration.ofMillis(250)).maxDelay(Duration.ofSeconds(5))
            .timeout(Duration.ofMinutes(2)).build();

    @TempDir
    Path dist;

    @RegisterExtension
    final LifelikeEmrs env = new LifelikeEmrs();

    SubmittedJobRun submit(String runId, String name, String... script) throws Exception {
        env.moto.jobScript(script);
        return env.submitter().submit(env.request(dist, runId).name(name).build());
    }

    JobRunWatcher realWatcher() {
        return new JobRunWatcher(env.emr, env.s3, env.progress, SCALED, Clock.systemUTC(), Poller.RANDOM);
    }

    long getJobRunCalls(SubmittedJobRun run) throws Exception {
        return env.moto.calls().stream().filter(c -> c.equals("emr-serverless GET /applications/" + run.applicationId() + "/jobruns/"
                + run.jobRunId())).count();
    }

    @Test
    void aWaitThatKnowsItsHistoryEndsWithFewerCallsThanOneThatDoesNot() throws Exception {
        // Four earlier runs of 4.6 to 5.4 s, one of another job, one that failed: only the four count.
        List<String> lengths = List.of("4.6", "5.0", "5.4", "4.8");
        for (int i = 0; i < lengths.size(); i++) {
            submit("earlier-" + i, NAME, "RUNNING@" + lengths.get(i), "SUCCESS");
        }
        submit("other-job", "another job", "RUNNING@1", "SUCCESS");
        submit("failed", NAME, "RUNNING@1", "FAILED");
        Thread.sleep(5600); // set-up: until every earlier run has ended

        SubmittedJobRun run = submit("now", NAME, "RUNNING@5", "SUCCESS");
        env.moto.clearCalls();
        JobRunWatcher watcher = realWatcher();
        WatchStep begun = watcher.beginWithHistory(run, null);

        RunHistory history = begun.watch().poll().history();
        assertThat(history.name()).isEqualTo(NAME);
        assertThat(history.durations()).hasSize(4).allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(4590),
                Duration.ofMillis(5410)));
        assertThat(history.durations().get(0)).isBetween(Duration.ofMillis(4790), Duration.ofMillis(4810)); // newest first
        assertThat(env.moto.calls()).containsExactly("emr-serverless GET /applications/" + env.applicationId + "/jobruns");
        assertThat(env.progress.events()).anyMatch(e -> e.startsWith("info: Waiting for job run " + run.jobRunId()
                + ": expecting ~4 s from 4 earlier runs of 'kedro-demo' (4 s to 5 s); polling sparsely until "));
        // What a restarted controller reads back keeps the history.
        assertThat(JobRunWatch.fromJson(begun.watch().toJson()).poll().history()).isEqualTo(history);

        JobRunResult withHistory = watcher.await(begun, PollLoop.Sleeper.REAL);
        // The same run length watched with today's rhythm.
        SubmittedJobRun same = submit("now-without-history", NAME, "RUNNING@5", "SUCCESS");
        JobRunResult without = watcher.await(watcher.begin(same, null), PollLoop.Sleeper.REAL);

        assertThat(withHistory.succeeded()).isTrue();
        assertThat(without.succeeded()).isTrue();
        long ours = getJobRunCalls(run);
        long today = getJobRunCalls(same);
        assertThat(ours).isEqualTo(withHistory.polls());
        assertThat(today).isEqualTo(without.polls());
        assertThat(ours).as("GetJobRun calls with history (%d) vs without (%d)", ours, today).isLessThan(today * 2 / 3);
    }

    @Test
    void fewerThanThreeEarlierRunsLeaveTheRhythmAsItWas() throws Exception {
        submit("earlier", NAME, "RUNNING@0.2", "SUCCESS");
        Thread.sleep(300);
        SubmittedJobRun run = submit("now", NAME, "SUBMITTED", "RUNNING", "SUCCESS");
        WatchStep begun = env.watcher().beginWithHistory(run, null);
        assertThat(begun.watch().poll().history().durations()).hasSize(1);
        assertThat(begun.delay()).isEqualTo(Duration.ofMillis(5100));
        assertThat(env.progress.events()).anyMatch(e -> e.startsWith("info: Waiting for job run " + run.jobRunId() + " (first look in 5 s")
                && e.endsWith("; 1 earlier successful run of 'kedro-demo' in 90 days, 3 needed to poll by them"));
        // The listing for the history was no look at the new run: its script is untouched.
        JobRunResult result = env.watcher().await(begun, env.clock.sleeper());
        assertThat(result.polls()).isEqualTo(3);
    }

    @Test
    void aCallerWithoutListJobRunsWaitsAsBeforeAfterOneLine() throws Exception {
        SubmittedJobRun run = submit("now", NAME, "SUBMITTED", "RUNNING", "SUCCESS");
        env.moto.fault("GET", "/applications/\\w+/jobruns$", 403, "AccessDeniedException", 1);
        WatchStep begun = env.watcher().beginWithHistory(run, null);
        assertThat(begun.watch().poll().history()).isNull();
        assertThat(begun.delay()).isEqualTo(Duration.ofMillis(5100));
        assertThat(env.progress.events()).filteredOn(e -> e.contains("history")).singleElement().satisfies(e -> assertThat(e)
                .startsWith("info: Polling without history: could not list the earlier runs of 'kedro-demo' (AccessDeniedException"));
        assertThat(env.watcher().await(begun, env.clock.sleeper()).succeeded()).isTrue();
    }

    @Test
    void aListingThatKeepsFailingCostsOneLineNotTheSubmit() throws Exception {
        SubmittedJobRun run = submit("now", NAME, "SUBMITTED", "SUCCESS");
        // Every attempt of the SDK's retries fails.
        env.moto.fault("GET", "/applications/\\w+/jobruns$", 500, "InternalServerException", 8);
        WatchStep begun = env.watcher().beginWithHistory(run, null);
        assertThat(begun.watch().poll().history()).isNull();
        assertThat(env.progress.events()).anyMatch(e -> e.startsWith(
                "info: Polling without history: could not list the earlier runs of 'kedro-demo' (InternalServerException"));
        assertThat(env.moto.calls().stream().filter(c -> c.endsWith("/jobruns"))).hasSize(8 + 1); // 8 listings, 1 StartJobRun
        assertThat(env.watcher().await(begun, env.clock.sleeper()).succeeded()).isTrue();
    }
}
