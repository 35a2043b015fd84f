package io.jenkins.plugins.kedroemrs.e2e;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.IamFixtures;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestImages;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;

/**
 * What the README's Jenkinsfiles run against here, in place of AWS and the internet: the engine's EMR Serverless
 * stand-in ({@link EmrServerlessMoto}: moto's server with the job and application lifecycle moto leaves out) holding
 * the README's bucket ({@value #BUCKET}, in {@value #REGION}) and an EMR Serverless application of the README's release;
 * a real OCI registry on loopback (moto's ECR has no registry endpoint, so images go there; the restart takes an image
 * from any registry because AWS calls go to an endpoint override); a real Docker engine of this JVM; and what an
 * offline image build needs (an EMR-shaped base image of the release, a prebuilt interpreter, a wheelhouse).
 */
public final class StandIns {
    public static final String REGION = "eu-west-1";
    public static final String BUCKET = "my-bucket";
    public static final String RELEASE = "emr-7.1.0";
    public static final String REPOSITORY = "kedro/spaceflights";

    public final EmrServerlessMoto moto;
    public final LocalRegistry registry;
    public final ContainerEngine engine;
    public final Path python;
    public final String applicationId;

    private StandIns(EmrServerlessMoto moto, LocalRegistry registry, ContainerEngine engine, Path python, String applicationId) {
        this.moto = moto;
        this.registry = registry;
        this.engine = engine;
        this.python = python;
        this.applicationId = applicationId;
    }

    /** Every peer started (or skipped / failed as {@code Peers} says), the stand-in reset to the README's account. */
    public static StandIns start() throws IOException, InterruptedException {
        Path python = TestPython.require();
        EmrServerlessMoto moto = EmrServerlessMoto.shared();
        LocalRegistry registry = LocalRegistry.shared();
        ContainerEngine engine = ContainerEngine.docker();
        moto.reset();
        String app;
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings().withRegion(REGION))) {
            aws.s3().createBucket(b -> b.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint(
                    BucketLocationConstraint.fromValue(Region.of(REGION).id()))));
            app = aws.emrServerless().createApplication(c -> c.name("kedro").releaseLabel(RELEASE).type("SPARK")
                    .imageConfiguration(i -> i.imageUri(registry.host() + "/" + REPOSITORY + ":previous"))).applicationId();
            // The job runtime role of the guide, which the one-call Jenkinsfile's preflight checks: EMR Serverless may
            // assume it, and it may read the code and write the logs in the bucket.
            IamFixtures iam = new IamFixtures(aws);
            iam.createRole("emr-serverless-job", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                    + "\"Principal\": {\"Service\": \"emr-serverless.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}");
            iam.putRolePolicy("emr-serverless-job", "access", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": "
                    + "\"Allow\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\"], \"Resource\": \"arn:aws:s3:::" + BUCKET + "/*\"}]}");
        }
        moto.clearCalls();
        return new StandIns(moto, registry, engine, python, app);
    }

    /** The repository the images go to (the local registry's). */
    public String repository() {
        return registry.host() + "/" + REPOSITORY;
    }

    /**
     * emrsBuildImage's options for an offline build, as Groovy named arguments: the EMR-shaped base image of the
     * release, the prebuilt interpreter, the wheelhouse, the legacy builder without network (no package index or
     * public.ecr.aws is reachable here; a real job leaves these to their defaults).
     */
    public String offlineImageOptions() throws IOException, InterruptedException {
        return "baseImage: '%s', pythonDist: '%s', pythonVersion: '%s', pipFindLinks: '%s', pipNoIndex: true, buildKit: 'off', builderArgs: '--network=none'"
                .formatted(engine.emrBaseImage(RELEASE), TestImages.pythonTarball(), TestImages.PYTHON_VERSION,
                        TestImages.wheelhouse(List.of("kedro~=1.7.0")));
    }

    /**
     * A workspace as the README's Jenkinsfiles expect it after checkout: the Kedro project in {@code spaceflights/}
     * (a real {@code kedro new} project with a {@code greet} pipeline) and {@code .venv} with Python, Kedro and build.
     */
    public void prepareWorkspace(Path workspace) throws IOException, InterruptedException {
        Files.createDirectories(workspace);
        Path scratch = Files.createTempDirectory("kedro-project");
        Files.move(SampleKedroProject.create(scratch), workspace.resolve("spaceflights"));
        Files.delete(scratch);
        Path venv = python.getParent().getParent();
        Files.createSymbolicLink(workspace.resolve(".venv"), venv);
    }
}
