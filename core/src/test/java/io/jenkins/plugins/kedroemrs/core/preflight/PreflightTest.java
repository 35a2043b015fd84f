package io.jenkins.plugins.kedroemrs.core.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.IamFixtures;
import io.jenkins.plugins.kedroemrs.core.image.EcrPullPolicy;
import io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.core.validate.CheckResult;
import io.jenkins.plugins.kedroemrs.core.validate.CheckStatus;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emrserverless.model.Architecture;

/**
 * Preflight against moto_server and the stand-in: a correct set-up passes every check; each wrong one fails exactly
 * its own check. moto lacks iam:SimulatePrincipalPolicy and keeps no application architecture: the stand-in adds both
 * (moto's own policy evaluator decides the simulation).
 */
class PreflightTest {
    static final String REGION = MotoServer.REGION;
    static final String CODE = "kedro-emrs-code";
    static final String LOGS = "kedro-emrs-logs";
    static final String REPO = "kedro/greeter";
    static final String REGISTRY = MotoServer.ACCOUNT + ".dkr.ecr." + REGION + ".amazonaws.com";
    static final String TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": "
            + "{\"Service\": \"emr-serverless.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";
    static final String ACCESS = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", "
            + "\"s3:ListBucket\"], \"Resource\": [\"arn:aws:s3:::" + CODE + "\", \"arn:aws:s3:::" + CODE + "/*\"]}, {\"Effect\": "
            + "\"Allow\", \"Action\": [\"s3:PutObject\"], \"Resource\": \"arn:aws:s3:::" + LOGS + "/*\"}, {\"Effect\": \"Allow\", "
            + "\"Action\": [\"logs:CreateLogStream\", \"logs:PutLogEvents\", \"logs:DescribeLogStreams\"], \"Resource\": \"*\"}]}";

    EmrServerlessMoto moto;
    AwsClientFactory aws;
    IamFixtures iam;
    String applicationId;
    String role;

    @BeforeEach
    void goodSetUp() throws Exception {
        moto = EmrServerlessMoto.shared();
        moto.reset();
        aws = new AwsClientFactory(moto.settings());
        iam = new IamFixtures(aws);
        aws.s3().createBucket(b -> b.bucket(CODE));
        aws.s3().createBucket(b -> b.bucket(LOGS));
        applicationId = aws.emrServerless().createApplication(c -> c.name("kedro").releaseLabel("emr-7.1.0").type("SPARK")
                .architecture(Architecture.X86_64).maximumCapacity(m -> m.cpu("64 vCPU").memory("256 GB"))
                .imageConfiguration(i -> i.imageUri(REGISTRY + "/" + REPO + ":old"))).applicationId();
        aws.ecr().createRepository(r -> r.repositoryName(REPO));
        String appArn = EcrPullPolicy.applicationArn(REGION, MotoServer.ACCOUNT, applicationId);
        aws.ecr().setRepositoryPolicy(p -> p.repositoryName(REPO).policyText(EcrPullPolicy.merge(null, appArn).orElseThrow()));
        role = iam.createRole("emr-serverless-job", TRUST);
        iam.putRolePolicy("emr-serverless-job", "access", ACCESS);
        moto.clearCalls();
    }

    @AfterEach
    void close() {
        aws.close();
    }

    PreflightRequest request(UnaryOperator<Builder> change) {
        return change.apply(new Builder()).build();
    }

    /** The good request; tests change one thing. */
    final class Builder {
        String role = PreflightTest.this.role;
        String image = REGISTRY + "/" + REPO + ":1";
        String architecture = "X86_64";
        String logUri = "s3://" + LOGS + "/emr";
        List<String> sparkConf = List.of("spark.executor.instances=4");

        PreflightRequest build() {
            return new PreflightRequest(applicationId, role, image, architecture, null, false, false, "s3://" + CODE + "/code", null,
                    logUri, "/aws/emr-serverless/kedro", sparkConf, null).check(true);
        }
    }

    PreflightReport run(PreflightRequest r) {
        return new Preflight(aws).run(r);
    }

    static List<String> failed(PreflightReport report) {
        return report.checks().stream().filter(c -> c.status() == CheckStatus.FAIL).map(CheckResult::name).toList();
    }

    @Test
    void aCorrectSetUpPassesEveryCheckWithCallsInParallel() throws Exception {
        PreflightReport report = run(request(b -> b));
        assertThat(report.checks()).as(String.join("\n", report.table())).allSatisfy(c -> assertThat(c.status()).isEqualTo(CheckStatus.PASS));
        assertThat(report.checks()).extracting(CheckResult::name).containsExactly("credentials", "application", "application:release",
                "application:images", "application:architecture", "image", "ecr:repository", "ecr:pull-policy", "role",
                "role:entrypoint-read", "role:log-write", "role:cloudwatch", "s3:code-bucket", "s3:log-bucket", "capacity");
        assertThat(report.passed()).isTrue();
        assertThat(report.account()).isEqualTo(MotoServer.ACCOUNT);
        assertThat(report.checks().get(0).reason()).startsWith("account " + MotoServer.ACCOUNT + " as arn:aws:");
        assertThat(report.calls()).isEqualTo(moto.calls().size()).isEqualTo(12);
        assertThat(report.summary()).startsWith("PASSED: 15 passed, 0 failed, 0 warnings, 0 skipped");
    }

    @Test
    void anImageInAnotherRegionFailsOnlyTheImageCheck() {
        PreflightReport report = run(request(b -> {
            b.image = MotoServer.ACCOUNT + ".dkr.ecr.eu-west-1.amazonaws.com/" + REPO + ":1";
            return b;
        }));
        assertThat(failed(report)).containsExactly("image");
        assertThat(report.checks()).filteredOn(c -> c.name().equals("image")).singleElement().satisfies(c -> assertThat(c.reason())
                .contains("is in ECR in eu-west-1, the application in us-east-1", "push it to " + REGISTRY + "/" + REPO));
    }

    /**
     * Outside ECR an image fails (EMR Serverless pulls from ECR only), unless the AWS endpoint is overridden (LocalStack,
     * moto), where the other steps take any registry's image too: then it and the application's are SKIPPED, never read.
     */
    @Test
    void anImageOutsideEcrFailsUnlessTheEndpointIsOverridden() throws Exception {
        applicationId = aws.emrServerless().createApplication(c -> c.name("local").releaseLabel("emr-7.1.0").type("SPARK")
                .architecture(Architecture.X86_64).imageConfiguration(i -> i.imageUri("127.0.0.1:5000/" + REPO + ":old")))
                .applicationId();
        moto.clearCalls();
        PreflightRequest request = request(b -> {
            b.image = "127.0.0.1:5000/" + REPO + ":1";
            b.architecture = null;
            return b;
        });
        assertThat(failed(run(request))).containsExactly("application:images", "image");

        PreflightReport local = new Preflight(aws).withAnyRegistry(true).run(request);
        assertThat(failed(local)).isEmpty();
        assertThat(local.status("image")).isEqualTo(CheckStatus.SKIPPED);
        assertThat(local.status("application:images")).isEqualTo(CheckStatus.SKIPPED);
        assertThat(local.status("ecr:repository")).isEqualTo(CheckStatus.SKIPPED);
        assertThat(moto.calls()).noneMatch(c -> c.startsWith("ecr "));
    }

    @Test
    void anImageForTheWrongArchitectureFailsOnlyTheArchitectureCheck() {
        PreflightReport report = run(request(b -> {
            b.architecture = "ARM64";
            return b;
        }));
        assertThat(failed(report)).containsExactly("application:architecture");
    }

    @Test
    void aRepositoryPolicyWithoutTheApplicationFailsWithTheStatementToAdd() {
        aws.ecr().setRepositoryPolicy(p -> p.repositoryName(REPO).policyText(EcrPullPolicy.merge(null,
                EcrPullPolicy.applicationArn(REGION, MotoServer.ACCOUNT, "00fother00000000")).orElseThrow()));
        PreflightReport report = run(request(b -> b));
        assertThat(failed(report)).containsExactly("ecr:pull-policy");
        assertThat(report.checks()).filteredOn(c -> c.name().equals("ecr:pull-policy")).singleElement()
                .satisfies(c -> assertThat(c.reason()).contains("\"Sid\": \"" + EcrPullPolicy.SID + "\"",
                        "\"aws:SourceArn\": \"" + EcrPullPolicy.applicationArn(REGION, MotoServer.ACCOUNT, applicationId) + "\"",
                        "build-image --application-id merges it"));
    }

    @Test
    void aRoleWithoutTrustFailsOnlyTheRoleCheck() {
        String other = iam.createRole("no-trust", TRUST.replace("emr-serverless.amazonaws.com", "ec2.amazonaws.com"));
        iam.putRolePolicy("no-trust", "access", ACCESS);
        PreflightReport report = run(request(b -> {
            b.role = other;
            return b;
        }));
        assertThat(failed(report)).containsExactly("role");
    }

    @Test
    void aRoleThatCannotReadTheEntryPointFailsOnlyThatCheck() {
        String other = iam.createRole("no-read", TRUST);
        iam.putRolePolicy("no-read", "access", ACCESS.replace("\"s3:GetObject\", ", ""));
        PreflightReport report = run(request(b -> {
            b.role = other;
            return b;
        }));
        assertThat(failed(report)).containsExactly("role:entrypoint-read");
        assertThat(report.checks()).filteredOn(c -> c.name().equals("role:entrypoint-read")).singleElement()
                .satisfies(c -> assertThat(c.reason()).contains("s3:GetObject (implicitDeny)", "grant it s3:GetObject on s3://" + CODE));
    }

    @Test
    void aMissingBucketFailsOnlyItsBucketCheck() {
        PreflightReport report = run(request(b -> {
            b.logUri = "s3://kedro-emrs-missing/emr";
            return b;
        }));
        // The role's policy does not cover that bucket either: that is role:log-write's own finding.
        assertThat(failed(report)).containsExactlyInAnyOrder("s3:log-bucket", "role:log-write");
        assertThat(report.checks()).filteredOn(c -> c.name().equals("s3:log-bucket")).singleElement()
                .satisfies(c -> assertThat(c.reason()).isEqualTo("no bucket kedro-emrs-missing (for the logs): create it in us-east-1"));
    }

    @Test
    void aJobLargerThanTheApplicationsCapacityFailsOnlyTheCapacityCheck() {
        PreflightReport report = run(request(b -> {
            b.sparkConf = List.of("spark.executor.instances=20", "spark.executor.memory=16g");
            return b;
        }));
        assertThat(failed(report)).containsExactly("capacity");
        assertThat(report.checks()).filteredOn(c -> c.name().equals("capacity")).singleElement()
                .satisfies(c -> assertThat(c.reason()).contains("20 × executor 4 vCPU/17.6 GB", "64 vCPU, 256 GB"));
    }

    @Test
    void aCallerWithoutIamPermissionGetsWarningsNotFailures() throws Exception {
        moto.serviceFault("iam", 403, "AccessDenied", 10);
        PreflightReport report = run(request(b -> b));
        assertThat(failed(report)).isEmpty();
        assertThat(report.passed()).isTrue();
        assertThat(report.checks()).filteredOn(c -> c.name().startsWith("role")).hasSize(4)
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(CheckStatus.WARN))
                .allSatisfy(c -> assertThat(c.reason()).startsWith("could not check"));
    }

    @Test
    void anUnknownApplicationFailsAndWhatNeedsItIsSkipped() {
        PreflightReport report = run(new PreflightRequest("00fnosuchapp0000", null, null, null, null, false, false, null, null,
                null, null, List.of(), null).check(false));
        assertThat(failed(report)).containsExactly("application");
        assertThat(report.checks()).filteredOn(c -> c.status() == CheckStatus.SKIPPED).extracting(CheckResult::name)
                .contains("application:release", "application:images", "capacity", "role", "image");
    }

    @Test
    void badInputIsRefusedBeforeAnyCall() throws Exception {
        assertThatThrownBy(() -> new PreflightRequest("App!", "role", "not an image", "sparc", null, false, false, "bucket/code", null,
                null, null, List.of("spark.executor.memory=lots"), null).check(false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("application-id")
                .hasMessageContaining("execution-role-arn").hasMessageContaining("architecture").hasMessageContaining("code-uri")
                .hasMessageContaining("spark.executor.memory=lots is not a size");
        assertThat(moto.calls()).isEmpty();
    }
}
