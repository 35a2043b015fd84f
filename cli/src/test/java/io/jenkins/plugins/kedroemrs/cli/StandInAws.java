package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The AWS commands' tests run against {@link EmrServerlessMoto} with moto's fixed fake keys, given to the SDK's
 * default credentials chain as the {@code aws.accessKeyId} / {@code aws.secretAccessKey} system properties (the CLI
 * takes no keys on its command line). A JUnit extension ({@code @RegisterExtension final StandInAws aws = …}): before
 * each test an empty account with an application and a bucket.
 */
final class StandInAws implements BeforeEachCallback, AfterEachCallback {
    static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/emr-serverless-job";
    static final String BUCKET = "kedro-emrs-cli";
    static final String REPO = MotoServer.ACCOUNT + ".dkr.ecr." + MotoServer.REGION + ".amazonaws.com/kedro/greeter";
    static final String DIGEST = "sha256:" + "c4".repeat(32);

    EmrServerlessMoto moto;
    AwsClientFactory aws;
    String applicationId;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        moto = EmrServerlessMoto.shared();
        moto.reset();
        aws = new AwsClientFactory(moto.settings());
        aws.s3().createBucket(b -> b.bucket(BUCKET));
        applicationId = aws.emrServerless().createApplication(c -> c.name("kedro").releaseLabel("emr-6.10.0").type("SPARK")
                .imageConfiguration(i -> i.imageUri(REPO + ":old"))).applicationId();
        moto.clearCalls();
    }

    /** {@code args} followed by the options that point the CLI at the stand-in. */
    List<String> args(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint-url", moto.endpoint().toString(), "--region", MotoServer.REGION));
        return all;
    }

    CliRun run(String... args) {
        return CliRun.of(args(args).toArray(String[]::new));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (aws != null) {
            aws.close();
        }
    }
}
