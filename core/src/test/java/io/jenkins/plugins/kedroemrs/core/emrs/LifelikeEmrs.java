package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.polling.PollPolicy;
import io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto;
import io.jenkins.plugins.kedroemrs.core.testing.FakeClock;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.core.testing.RecordingProgress;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the lifecycle tests share, as a JUnit extension ({@code @RegisterExtension final LifelikeEmrs env = …}): before
 * each test the {@link EmrServerlessMoto} stand-in reset to an empty account with a bucket and a STARTED application,
 * clients from the real factory, a fake clock (polls are answered at once, the policy's delays only move the clock)
 * and recorded progress; after it the clients closed.
 */
final class LifelikeEmrs implements BeforeEachCallback, AfterEachCallback {
    static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/emr-serverless-job";
    static final String BUCKET = "kedro-emrs-test";
    static final String REPO = MotoServer.ACCOUNT + ".dkr.ecr." + MotoServer.REGION + ".amazonaws.com/kedro/greeter";

    final FakeClock clock = FakeClock.at("2026-03-01T08:00:00Z");
    final RecordingProgress progress = new RecordingProgress();
    EmrServerlessMoto moto;
    AwsClientFactory aws;
    EmrServerlessClient emr;
    S3Client s3;
    String applicationId;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        moto = EmrServerlessMoto.shared();
        moto.reset();
        aws = new AwsClientFactory(moto.settings());
        emr = aws.emrServerless();
        s3 = aws.s3();
        s3.createBucket(b -> b.bucket(BUCKET));
        applicationId = emr.createApplication(c -> c.name("kedro").releaseLabel("emr-6.10.0").type("SPARK")
                .imageConfiguration(i -> i.imageUri(REPO + ":old"))).applicationId();
    }

    JobSubmitter submitter() {
        return new JobSubmitter(emr, s3, MotoServer.REGION, progress);
    }

    JobRunWatcher watcher() {
        return new JobRunWatcher(emr, s3, progress, PollPolicy.JOB_RUN, clock, () -> 0.5);
    }

    ApplicationRestarter restarter() {
        return new ApplicationRestarter(emr, MotoServer.REGION, progress, PollPolicy.APPLICATION, clock, () -> 0.5);
    }

    SubmitRequest.Builder request(Path dist, String runId) throws Exception {
        return SubmitRequest.builder().packageResult(SamplePackageResult.write(dist, "1.7.0")).applicationId(applicationId)
                .executionRoleArn(ROLE).codeUri("s3://" + BUCKET + "/code").logUri("s3://" + BUCKET + "/logs")
                .run(new KedroRunOptions("emr", "ThreadRunner", List.of("greet"), null, null, null, null)).runId(runId);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (aws != null) {
            aws.close();
        }
    }
}
