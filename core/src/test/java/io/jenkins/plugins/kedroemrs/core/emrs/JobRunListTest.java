package io.jenkins.plugins.kedroemrs.core.emrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.testing.FakeClock;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kedro-emrs runs}' engine against the stand-in: moto pages ListJobRuns itself (maxResults, nextToken); the
 * stand-in moves the runs to their end and fills in their billed figures, which moto leaves at zero.
 */
class JobRunListTest {
    @RegisterExtension
    final LifelikeEmrs env = new LifelikeEmrs();

    private void startRuns(int count, String name) {
        for (int i = 0; i < count; i++) {
            env.emr.startJobRun(s -> s.applicationId(env.applicationId).executionRoleArn(LifelikeEmrs.ROLE).name(name)
                    .clientToken(java.util.UUID.randomUUID().toString())
                    .jobDriver(d -> d.sparkSubmit(p -> p.entryPoint("s3://" + LifelikeEmrs.BUCKET + "/code/entrypoint.py"))));
        }
    }

    private long calls(String regex) throws Exception {
        return env.moto.calls().stream().filter(c -> c.matches(regex)).count();
    }

    @Test
    void pagesOverMoreRunsThanOnePageAndLooksUpAtMostMaxDetails() throws Exception {
        env.moto.jobScript("SUCCESS");
        env.moto.jobUsage(Map.of("vCPUHour", 0.5, "memoryGBHour", 2.0, "storageGBHour", 0, "executionSeconds", 90));
        startRuns(45, "greeter __default__");
        startRuns(20, "other");
        env.emr.listJobRuns(l -> l.applicationId(env.applicationId)); // a look at each: they end (stand-in), billed as set
        env.moto.clearCalls();

        JobRunList.Listing all = new JobRunList(env.emr, MotoServer.REGION, null, env.progress)
                .list(env.applicationId, null, Instant.now().minusSeconds(3600), 100, 30);
        assertThat(all.runs()).hasSize(65);
        assertThat(all.more()).isFalse();
        assertThat(all.listCalls()).isEqualTo(2);
        assertThat(calls("emr-serverless GET /applications/\\w+/jobruns")).isEqualTo(2);
        assertThat(calls("emr-serverless GET /applications/\\w+/jobruns/\\w+")).isEqualTo(30);
        assertThat(calls("emr-serverless GET /applications/\\w+")).isEqualTo(1);
        assertThat(all.runs()).extracting(JobRunList.Entry::createdAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(all.runs().subList(0, 30)).allSatisfy(e -> {
            assertThat(e.state()).isEqualTo("SUCCESS");
            assertThat(e.cost().vcpuHours()).isEqualTo(0.5);
            assertThat(e.cost().runSeconds()).isEqualTo(90);
            assertThat(e.cost().usd()).isCloseTo(0.5 * 0.052624 + 2.0 * 0.0057785, within(1e-9));
        });
        assertThat(all.runs().subList(30, 65)).allSatisfy(e -> assertThat(e.cost()).isNull());
        assertThat(all.totalUsd()).isCloseTo(30 * (0.5 * 0.052624 + 2.0 * 0.0057785), within(1e-9));

        env.moto.clearCalls();
        JobRunList.Listing named = new JobRunList(env.emr, MotoServer.REGION, null, env.progress)
                .list(env.applicationId, "other", Instant.now().minusSeconds(3600), 10, 50);
        assertThat(named.runs()).hasSize(10).allSatisfy(e -> assertThat(e.name()).isEqualTo("other"));
        assertThat(named.more()).isTrue();
        assertThat(calls("emr-serverless GET /applications/\\w+/jobruns/\\w+")).isEqualTo(10);
        assertThat(named.runs().get(0).consoleUrl()).endsWith("/job-runs/" + named.runs().get(0).jobRunId());
    }

    @Test
    void throttlingIsRetriedAndAFailedLookLeavesOnlyItsRowWithoutFigures() throws Exception {
        env.moto.jobScript("SUCCESS");
        startRuns(3, "greeter");
        env.emr.listJobRuns(l -> l.applicationId(env.applicationId));
        env.moto.fault("GET", "/jobruns$", 429, "ThrottlingException", 2);
        env.moto.fault("GET", "/jobruns/[^/]+$", 404, "ResourceNotFoundException", 1);

        JobRunList.Listing listing = new JobRunList(env.emr, MotoServer.REGION, null, env.progress)
                .list(env.applicationId, "greeter", Instant.now().minusSeconds(3600), 50, 50);
        assertThat(listing.runs()).hasSize(3);
        assertThat(listing.runs()).filteredOn(e -> e.problem() != null).singleElement()
                .satisfies(e -> assertThat(e.problem()).startsWith("GetJobRun failed: ResourceNotFoundException"));
        assertThat(listing.runs()).filteredOn(e -> e.cost() != null).hasSize(2);
    }

    @Test
    void sinceTakesAnAgeOrADateAndRefusesAnythingElse() {
        FakeClock clock = FakeClock.at("2026-12-04T10:00:00Z");
        assertThat(JobRunList.since("30d", clock)).isEqualTo(Instant.parse("2026-11-04T10:00:00Z"));
        assertThat(JobRunList.since("12h", clock)).isEqualTo(Instant.parse("2026-12-03T22:00:00Z"));
        assertThat(JobRunList.since("2w", clock)).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(JobRunList.since("2026-11-01", clock)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        for (String bad : List.of("", "yesterday", "0d", "91d", "2025-01-01", "2027-01-01")) {
            assertThatThrownBy(() -> JobRunList.since(bad, clock)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("since").hasMessageContaining("30d");
        }
        assertThatThrownBy(() -> JobRunList.count("limit", 0, 1000)).hasMessageContaining("limit")
                .hasMessageContaining("from 1 to 1000");
    }
}
