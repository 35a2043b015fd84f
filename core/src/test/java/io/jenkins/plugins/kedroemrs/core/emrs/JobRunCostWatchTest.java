package io.jenkins.plugins.kedroemrs.core.emrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.cost.JobRunCost;
import io.jenkins.plugins.kedroemrs.core.cost.PriceTable;
import io.jenkins.plugins.kedroemrs.core.polling.PollPolicy;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.Architecture;

/**
 * The cost line at the end of a wait, against the stand-in: moto leaves a run's billed figures at zero and drops the
 * application's architecture; the stand-in fills both in as the service does ({@code jobUsage}).
 */
class JobRunCostWatchTest {
    static final Map<String, Object> USAGE = Map.of("vCPUHour", 1.42, "memoryGBHour", 5.68, "storageGBHour", 0,
            "executionSeconds", 243, "queuedMs", 12000);

    @TempDir
    Path dist;

    @RegisterExtension
    final LifelikeEmrs env = new LifelikeEmrs();

    @Test
    void aSucceededRunEndsWithItsBilledFiguresAndTheirListPrice() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING", "SUCCESS");
        env.moto.jobUsage(USAGE);
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "cost-1").build());
        env.moto.clearCalls();
        JobRunWatcher watcher = env.watcher();
        JobRunResult result = watcher.await(watcher.begin(run, null), env.clock.sleeper());

        JobRunCost cost = result.cost();
        assertThat(cost.region()).isEqualTo("us-east-1");
        assertThat(cost.architecture()).isEqualTo("X86_64");
        assertThat(cost.vcpuHours()).isEqualTo(1.42);
        assertThat(cost.memoryGbHours()).isEqualTo(5.68);
        assertThat(cost.queuedSeconds()).isEqualTo(12);
        assertThat(cost.runSeconds()).isEqualTo(243);
        assertThat(cost.usd()).isCloseTo(1.42 * 0.052624 + 5.68 * 0.0057785, within(1e-9));
        assertThat(env.progress.events()).contains("info: Job run " + run.jobRunId() + ": billed 1.42 vCPU-h, 5.68 GB-h, 0 storage "
                + "GB-h ≈ $0.11 (us-east-1, X86_64, list prices of 2026-12-04); queued 12 s, ran 4 min 3 s");
        assertThat(env.moto.calls()).containsOnlyOnce("emr-serverless GET /applications/" + run.applicationId());
        assertThat(result.toEnvironment()).containsEntry("EMRS_VCPU_HOURS", "1.42").containsEntry("EMRS_RUN_SECONDS", "243")
                .containsKey("EMRS_COST_USD");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) result.toMap().get("cost");
        assertThat(json).containsEntry("vcpuHours", 1.42).containsEntry("architecture", "X86_64").containsKey("usd");
    }

    @Test
    void anArmApplicationInAnotherRegionIsPricedForBoth() throws Exception {
        try (AwsClientFactory eu = new AwsClientFactory(env.moto.settings().withRegion("eu-west-1"))) {
            EmrServerlessClient emr = eu.emrServerless();
            String app = emr.createApplication(c -> c.name("kedro-arm").releaseLabel("emr-7.5.0").type("SPARK")
                    .architecture(Architecture.ARM64)).applicationId();
            env.moto.jobScript("SUBMITTED", "FAILED");
            env.moto.jobUsage(USAGE);
            SubmittedJobRun run = new JobSubmitter(emr, env.s3, "eu-west-1", env.progress)
                    .submit(env.request(dist, "cost-2").applicationId(app).build());
            JobRunWatcher watcher = new JobRunWatcher(emr, env.s3, env.progress, PollPolicy.JOB_RUN, env.clock, () -> 0.5);
            JobRunResult result = watcher.await(watcher.begin(run, null), env.clock.sleeper());

            assertThat(result.state()).isEqualTo("FAILED");
            assertThat(result.cost().usd()).isCloseTo(1.42 * 0.042094 + 5.68 * 0.004628, within(1e-9));
            assertThat(env.progress.events()).anyMatch(e -> e.startsWith("info: Job run " + run.jobRunId() + ": billed 1.42 vCPU-h")
                    && e.contains("≈ $0.09 (eu-west-1, ARM64, list prices of "));
        }
    }

    @Test
    void anUnknownRegionHasNoDollarsAndAPriceFileGivesThem() throws Exception {
        try (AwsClientFactory far = new AwsClientFactory(env.moto.settings().withRegion("ap-southeast-3"))) {
            EmrServerlessClient emr = far.emrServerless();
            String app = emr.createApplication(c -> c.name("kedro-far").releaseLabel("emr-7.5.0").type("SPARK")).applicationId();
            env.moto.jobScript("SUCCESS");
            env.moto.jobUsage(USAGE);
            JobSubmitter submitter = new JobSubmitter(emr, env.s3, "ap-southeast-3", env.progress);
            JobRunWatcher watcher = new JobRunWatcher(emr, env.s3, env.progress, PollPolicy.JOB_RUN, env.clock, () -> 0.5);

            SubmittedJobRun first = submitter.submit(env.request(dist, "cost-3").applicationId(app).build());
            JobRunCost list = watcher.await(watcher.begin(first, null), env.clock.sleeper()).cost();
            assertThat(list.usd()).isNull();
            assertThat(list.noPrice()).startsWith("no price for region ap-southeast-3 (X86_64)");

            PriceTable negotiated = PriceTable.parse("""
                    {"region": "ap-southeast-3", "architecture": "X86_64", "vcpuHour": 0.1, "memoryGbHour": 0.01,
                     "storageGbHour": 0, "source": "contract", "date": "2026-11-01"}""", "negotiated.json");
            SubmittedJobRun second = submitter.submit(env.request(dist, "cost-4").applicationId(app).build());
            JobRunWatcher priced = watcher.withPrices(negotiated);
            JobRunCost cost = priced.await(priced.begin(second, null), env.clock.sleeper()).cost();
            assertThat(cost.usd()).isCloseTo(0.142 + 0.0568, within(1e-9));
            assertThat(cost.prices()).isEqualTo("prices of negotiated.json (2026-11-01)");
        }
    }

    @Test
    void aRunWithoutExplicitFiguresIsBilledAtLeastAMinuteAndAFailedLookupCostsNoDollarsOnly() throws Exception {
        env.moto.jobScript("SUBMITTED", "SUCCESS");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "cost-5").build());
        env.moto.fault("GET", "/applications/[^/]+$", 403, "AccessDeniedException", 1);
        JobRunWatcher watcher = env.watcher();
        JobRunResult result = watcher.await(watcher.begin(run, null), env.clock.sleeper());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.cost().vcpuHours()).isCloseTo(8 / 60.0, within(1e-6));
        assertThat(result.cost().memoryGbHours()).isCloseTo(32 / 60.0, within(1e-6));
        assertThat(result.cost().usd()).isNull();
        assertThat(result.cost().noPrice()).startsWith("could not read the application's architecture (AccessDeniedException");
        assertThat(env.progress.events()).contains("info: Job run " + run.jobRunId() + ": billed 0.133 vCPU-h, 0.533 GB-h, 0 storage"
                + " GB-h, no dollars: " + result.cost().noPrice() + "; queued 0 s, ran 0 s");
    }

    @Test
    void aWaitThatGivesUpHasNoCost() throws Exception {
        env.moto.jobScript("SUBMITTED", "RUNNING");
        SubmittedJobRun run = env.submitter().submit(env.request(dist, "cost-6").build());
        JobRunWatcher watcher = env.watcher();
        JobRunResult result = watcher.await(watcher.begin(run, java.time.Duration.ofMinutes(2)), env.clock.sleeper());
        assertThat(result.timedOut()).isTrue();
        assertThat(result.cost()).isNull();
        assertThat(result.toEnvironment()).doesNotContainKey("EMRS_VCPU_HOURS");
        assertThat(MotoServer.REGION).isEqualTo("us-east-1");
    }
}
