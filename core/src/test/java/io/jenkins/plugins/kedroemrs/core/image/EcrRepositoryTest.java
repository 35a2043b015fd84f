package io.jenkins.plugins.kedroemrs.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.core.testing.RecordingProgress;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.Repository;

/** The ECR repository and its policy, against a real moto_server. */
class EcrRepositoryTest {
    static final String ACCOUNT = MotoServer.ACCOUNT;
    static final String APP = EcrPullPolicy.applicationArn(MotoServer.REGION, ACCOUNT, "00fabcdefghij12k");
    MotoServer moto;

    @BeforeEach
    void moto() throws Exception {
        moto = MotoServer.shared();
        moto.reset();
    }

    @Test
    void aMissingRepositoryIsCreatedOnlyWhenAskedWithImmutableTagsAndScanOnPush() {
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            RecordingProgress progress = new RecordingProgress();
            EcrRepository repo = new EcrRepository(aws.ecr(), progress);
            assertThatThrownBy(() -> repo.ensure(ACCOUNT, "kedro/greeter", false)).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.getField()).isEqualTo("repository")).hasMessageContaining("pass --ensure-repository");

            Repository created = repo.ensure(ACCOUNT, "kedro/greeter", true);
            assertThat(created.repositoryUri()).isEqualTo(ACCOUNT + ".dkr.ecr." + MotoServer.REGION + ".amazonaws.com/kedro/greeter");
            Repository read = aws.ecr().describeRepositories(d -> d.repositoryNames("kedro/greeter")).repositories().get(0);
            assertThat(read.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE);
            assertThat(read.imageScanningConfiguration().scanOnPush()).isTrue();

            assertThat(repo.ensure(ACCOUNT, "kedro/greeter", true).repositoryArn()).isEqualTo(created.repositoryArn());
            assertThat(progress.all()).contains("Created the ECR repository").contains("exists (tags immutable, scan on push on)");
        }
    }

    @Test
    void thePullPolicyIsMergedIntoTheExistingOneAndReadBackAsJson() throws Exception {
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            EcrClient ecr = aws.ecr();
            ecr.createRepository(c -> c.repositoryName("kedro/greeter"));
            ecr.setRepositoryPolicy(s -> s.repositoryName("kedro/greeter").policyText("""
                    {"Version":"2012-10-17","Statement":[{"Sid":"CiPush","Effect":"Allow",
                     "Principal":{"AWS":"arn:aws:iam::123456789012:role/ci"},"Action":["ecr:PutImage","ecr:InitiateLayerUpload"]}]}"""));
            EcrRepository repo = new EcrRepository(ecr, null);

            assertThat(repo.ensurePullPolicy(ACCOUNT, "kedro/greeter", APP)).isTrue();
            JsonNode policy = Json.MAPPER.readTree(ecr.getRepositoryPolicy(g -> g.repositoryName("kedro/greeter")).policyText());
            assertThat(policy.path("Statement")).hasSize(2);
            assertThat(policy.path("Statement").get(0).path("Sid").asText()).isEqualTo("CiPush");
            assertThat(policy.path("Statement").get(0).path("Action").toString()).contains("ecr:PutImage", "ecr:InitiateLayerUpload");
            JsonNode ours = policy.path("Statement").get(1);
            assertThat(ours.path("Principal").path("Service").asText()).isEqualTo("emr-serverless.amazonaws.com");
            assertThat(ours.path("Condition").path("StringEquals").path("aws:SourceArn").get(0).asText()).isEqualTo(APP);
            assertThat(EcrPullPolicy.allows(ours, APP)).isTrue();

            // Idempotent: the second run reads, finds the application allowed, and sets nothing.
            assertThat(repo.ensurePullPolicy(ACCOUNT, "kedro/greeter", APP)).isFalse();
            assertThat(Json.MAPPER.readTree(ecr.getRepositoryPolicy(g -> g.repositoryName("kedro/greeter")).policyText())).isEqualTo(policy);
        }
    }

    @Test
    void aRepositoryWithoutPolicyGetsOne() throws Exception {
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            aws.ecr().createRepository(c -> c.repositoryName("kedro/fresh"));
            assertThat(new EcrRepository(aws.ecr(), null).ensurePullPolicy(ACCOUNT, "kedro/fresh", APP)).isTrue();
            JsonNode policy = Json.MAPPER.readTree(aws.ecr().getRepositoryPolicy(g -> g.repositoryName("kedro/fresh")).policyText());
            assertThat(policy.path("Statement")).hasSize(1);
            assertThat(policy.path("Statement").get(0).path("Sid").asText()).isEqualTo(EcrPullPolicy.SID);
        }
    }

    /** The AWS side of a build made apart from it (as a Jenkins controller does): repository, policy, then the token. */
    @Test
    void theSetupOfARequestCreatesTheRepositoryMergesThePolicyAndFetchesTheTokenOnlyWhenItLogsIn() throws Exception {
        PackageResult pr = DockerfileTemplateTest.fakePackage(java.nio.file.Files.createTempDirectory("kedro-emrs-setup"));
        String uri = ACCOUNT + ".dkr.ecr." + MotoServer.REGION + ".amazonaws.com/kedro/setup";
        EcrSetup local = ImageRequest.builder(pr, io.jenkins.plugins.kedroemrs.core.oci.ImageReference.parse(uri))
                .ensureRepository(true).applicationId("00fabcdefghij12k").build().ecrSetup();
        EcrSetup pushing = ImageRequest.builder(pr, io.jenkins.plugins.kedroemrs.core.oci.ImageReference.parse(uri))
                .push(true).build().ecrSetup();
        assertThat(local.login()).isFalse();
        assertThat(local.region()).isEqualTo(MotoServer.REGION);
        assertThat(pushing).isEqualTo(new EcrSetup(uri, true, false, null, true));
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            RecordingProgress progress = new RecordingProgress();
            assertThat(local.apply(aws.ecr(), progress)).isNull();
            assertThat(aws.ecr().describeRepositories(d -> d.repositoryNames("kedro/setup")).repositories()).hasSize(1);
            assertThat(aws.ecr().getRepositoryPolicy(g -> g.repositoryName("kedro/setup")).policyText()).contains(APP);

            var token = pushing.apply(aws.ecr(), progress);
            assertThat(token.username()).isEqualTo("AWS");
            assertThat(progress.all()).contains("phase: Checking the ECR repository kedro/setup", "ECR token for " + ACCOUNT + ".dkr.ecr.")
                    .doesNotContain(token.password());
        }
    }

    @Test
    void theImagesConsolePageIsMadeFromIds() {
        assertThat(EcrRepository.consoleUrl("eu-west-1", ACCOUNT, "kedro/greeter", "sha256:" + "a".repeat(64))).isEqualTo(
                "https://eu-west-1.console.aws.amazon.com/ecr/repositories/private/" + ACCOUNT + "/kedro/greeter/_/image/sha256:"
                        + "a".repeat(64) + "/details?region=eu-west-1");
    }
}
