package io.jenkins.plugins.kedroemrs.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.Application;

/** The factory's clients against a real moto_server. */
class AwsClientFactoryTest {
    MotoServer moto;

    @BeforeEach
    void moto() throws Exception {
        moto = MotoServer.shared();
        moto.reset();
    }

    @Test
    void everyClientReachesTheEndpointOverride() {
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            aws.s3().createBucket(b -> b.bucket("my-bucket"));
            aws.s3().putObject(p -> p.bucket("my-bucket").key("a/b.txt"), RequestBody.fromString("hi"));
            assertThat(aws.s3().getObjectAsBytes(g -> g.bucket("my-bucket").key("a/b.txt")).asUtf8String()).isEqualTo("hi");

            assertThat(aws.ecr().createRepository(r -> r.repositoryName("kedro/app")).repository().repositoryUri())
                    .endsWith("/kedro/app");

            EmrServerlessClient emr = aws.emrServerless();
            String id = emr.createApplication(c -> c.name("app").releaseLabel("emr-6.10.0").type("SPARK")).applicationId();
            Application app = emr.getApplication(g -> g.applicationId(id)).application();
            assertThat(app.releaseLabel()).isEqualTo("emr-6.10.0");

            assertThat(aws.sts().getCallerIdentity().account()).isEqualTo(MotoServer.ACCOUNT);
        }
    }

    /**
     * A wait polls through one factory for hours: it must reuse its clients, and factories must not hold threads of
     * their own (the SDK's default is a timeout scheduler of up to five threads per client).
     */
    @Test
    void aFactoryReusesItsClientsAndNoFactoryHoldsThreadsOfItsOwn() {
        long before = sdkSchedulerThreads();
        List<AwsClientFactory> factories = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            AwsClientFactory aws = new AwsClientFactory(moto.settings());
            factories.add(aws);
            assertThat(aws.emrServerless()).isSameAs(aws.emrServerless());
            assertThat(aws.s3()).isSameAs(aws.s3());
            for (int poll = 0; poll < 5; poll++) {
                aws.emrServerless().listApplications(l -> l.maxResults(1));
                aws.s3().listBuckets();
            }
        }
        assertThat(sdkSchedulerThreads()).as("threads of per-client SDK schedulers").isEqualTo(before);
        factories.forEach(AwsClientFactory::close);
        // The shared connection pool outlives every factory that used it.
        try (AwsClientFactory after = new AwsClientFactory(moto.settings())) {
            assertThat(after.sts().getCallerIdentity().account()).isEqualTo(MotoServer.ACCOUNT);
        }
        AwsClientFactory closed = factories.get(0);
        assertThatThrownBy(closed::emrServerless).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static long sdkSchedulerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("sdk-ScheduledExecutor")).count();
    }

    @Test
    void anAssumedRoleIsUsedForEveryClient() {
        AwsSettings settings = moto.settings().withRole("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/deployer", "ext-123", "ci");
        try (AwsClientFactory aws = new AwsClientFactory(settings)) {
            assertThat(aws.sts().getCallerIdentity().arn()).contains("assumed-role/deployer/ci");
            assertThat(aws.credentials().resolveCredentials().accessKeyId()).isNotEqualTo("testing");
        }
    }

    @Test
    void ecrLoginsComeFromGetAuthorizationTokenAndHideThePassword() {
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            EcrAuthorization auth = EcrAuthorization.fetch(aws.ecr(), null);
            assertThat(auth.username()).isEqualTo("AWS");
            assertThat(auth.password()).isNotBlank();
            assertThat(auth.registry()).isEqualTo(MotoServer.ACCOUNT + ".dkr.ecr." + MotoServer.REGION + ".amazonaws.com");
            assertThat(auth.toString()).doesNotContain(auth.password()).contains("password=****");
            assertThat(auth.basicAuthorizationHeader()).startsWith("Basic ");
        }
    }

    @Test
    void badSettingsAreRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> AwsSettings.defaults().withRegion("Ireland")).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.getField()).isEqualTo("region")).hasMessageContaining("\"Ireland\" is not an AWS region");
        assertThatThrownBy(() -> AwsSettings.defaults().withRole("arn:aws:iam::12:role/x", null, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not an IAM role ARN");
        assertThatThrownBy(() -> AwsSettings.defaults().withRole(null, "ext", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("external-id");
        assertThatThrownBy(() -> AwsSettings.defaults().withEndpointUrl(URI.create("ftp://x")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not an http(s) URL");
        assertThatThrownBy(() -> AwsSettings.endpoint("http://bad host"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("endpoint-url");
    }

    @Test
    void toStringNeverShowsKeys() {
        AwsSettings s = AwsSettings.defaults().withCredentials(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("testing", "secret-value-123")));
        assertThat(s.toString()).doesNotContain("secret-value-123").contains("StaticCredentialsProvider");
    }

    @Test
    void roleSessionNamesKeepToWhatStsAccepts() {
        assertThat(AwsSettings.roleSessionName("jenkins-team/app pipeline-42")).isEqualTo("jenkins-team-app-pipeline-42");
        assertThat(AwsSettings.roleSessionName("x")).isEqualTo("kedro-emrs");
        String long70 = "jenkins-" + "a".repeat(60) + "-123";
        assertThat(AwsSettings.roleSessionName(long70)).hasSize(64).endsWith("-123");
        assertThat(AwsSettings.roleSessionName("a+b=c,d.e@f_g")).isEqualTo("a+b=c,d.e@f_g");
    }
}
