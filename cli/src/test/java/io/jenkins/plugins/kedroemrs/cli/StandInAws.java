package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.IamFixtures;
import io.jenkins.plugins.kedroemrs.core.image.EcrPullPolicy;
import io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The AWS commands' tests run against {@link EmrServerlessMoto} with moto's fixed fake keys, given to the SDK's
 * default credentials chain as the {@code aws.accessKeyId} / {@code aws.secretAccessKey} system properties (the CLI
 * takes no keys on its command line). A JUnit extension ({@code @RegisterExtension final StandInAws aws = …}): before
 * each test an account set up the way preflight wants it: an application, a bucket, the job runtime role (trusting
 * EMR Serverless, reading and writing the bucket), and the ECR repository the application's image is in, with a
 * policy that lets the application pull and one image ({@link #digest}).
 */
final class StandInAws implements BeforeEachCallback, AfterEachCallback {
    static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/emr-serverless-job";
    static final String BUCKET = "kedro-emrs-cli";
    static final String REPO = MotoServer.ACCOUNT + ".dkr.ecr." + MotoServer.REGION + ".amazonaws.com/kedro/greeter";
    static final String ROLE_NAME = "emr-serverless-job";
    static final String TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": "
            + "{\"Service\": \"emr-serverless.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";
    static final String ACCESS = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": "
            + "[\"s3:GetObject\", \"s3:PutObject\", \"s3:ListBucket\"], \"Resource\": [\"arn:aws:s3:::" + BUCKET + "\", "
            + "\"arn:aws:s3:::" + BUCKET + "/*\"]}]}";
    /** A single-platform manifest (no layers): what moto's ECR keeps of an image; the service never pulls it here. */
    static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
            + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":2,\"digest\":\"sha256:"
            + Hashing.sha256("{}".getBytes(StandardCharsets.UTF_8)) + "\"},\"layers\":[]}";

    EmrServerlessMoto moto;
    AwsClientFactory aws;
    String applicationId;
    /** The digest moto's ECR gave {@link #MANIFEST} (tag {@code 1} of {@link #REPO}). */
    String digest;

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
        IamFixtures iam = new IamFixtures(aws);
        iam.createRole(ROLE_NAME, TRUST);
        iam.putRolePolicy(ROLE_NAME, "access", ACCESS);
        String repository = REPO.substring(REPO.indexOf('/') + 1);
        aws.ecr().createRepository(r -> r.repositoryName(repository));
        String appArn = EcrPullPolicy.applicationArn(MotoServer.REGION, MotoServer.ACCOUNT, applicationId);
        aws.ecr().setRepositoryPolicy(p -> p.repositoryName(repository).policyText(EcrPullPolicy.merge(null, appArn).orElseThrow()));
        digest = aws.ecr().putImage(p -> p.repositoryName(repository).imageTag("1").imageManifest(MANIFEST)
                .imageManifestMediaType("application/vnd.oci.image.manifest.v1+json")).image().imageId().imageDigest();
        moto.clearCalls();
    }

    /** The image in ECR by its digest. */
    String pinned() {
        return REPO + "@" + digest;
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
