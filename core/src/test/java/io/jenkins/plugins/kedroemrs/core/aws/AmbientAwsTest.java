package io.jenkins.plugins.kedroemrs.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class AmbientAwsTest {

    @Test
    void withAwsStyleVariablesGiveRegionAndSessionCredentials() {
        AwsSettings s = AmbientAws.fill(AwsSettings.defaults(), Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "us-east-2",
                "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "s3cr3t", "AWS_SESSION_TOKEN", "token"));
        assertThat(s.region()).isEqualTo("eu-west-1");
        assertThat(s.credentials().resolveCredentials()).isInstanceOfSatisfying(AwsSessionCredentials.class,
                c -> assertThat(c.sessionToken()).isEqualTo("token"));
        assertThat(s.toString()).doesNotContain("s3cr3t").doesNotContain("token");
    }

    @Test
    void defaultRegionAndProfileAreUsedWhenNothingElseIs() {
        AwsSettings s = AmbientAws.fill(null, Map.of("AWS_DEFAULT_REGION", "us-east-2", "AWS_PROFILE", "ci"));
        assertThat(s.region()).isEqualTo("us-east-2");
        assertThat(s.profile()).isEqualTo("ci");
        assertThat(s.credentials()).isNull();
    }

    @Test
    void explicitSettingsWin() {
        StaticCredentialsProvider mine = StaticCredentialsProvider.create(AwsBasicCredentials.create("mine", "x"));
        AwsSettings s = AmbientAws.fill(AwsSettings.defaults().withRegion("ap-south-1").withCredentials(mine)
                .withEndpointUrl(URI.create("http://127.0.0.1:1")), Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "other",
                "AWS_SECRET_ACCESS_KEY", "y", "AWS_ENDPOINT_URL", "http://127.0.0.1:2"));
        assertThat(s.region()).isEqualTo("ap-south-1");
        assertThat(s.credentials()).isSameAs(mine);
        assertThat(s.endpointUrl()).hasPort(1);
    }

    @Test
    void anEmptyEnvironmentLeavesItToTheSdkChain() {
        AwsSettings s = AmbientAws.fill(AwsSettings.defaults(), Map.of("PATH", "/usr/bin", "AWS_ACCESS_KEY_ID", "only-half"));
        assertThat(s).isEqualTo(AwsSettings.defaults());
    }

    @Test
    void aBadRegionInTheEnvironmentIsNamed() {
        assertThatThrownBy(() -> AmbientAws.fill(AwsSettings.defaults(), Map.of("AWS_REGION", "Frankfurt")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("region"));
    }

    @Test
    void theStepEnvironmentReachesAwsWithoutTheJvmEnvironment() throws Exception {
        MotoServer moto = MotoServer.shared();
        moto.reset();
        Map<String, String> env = Map.of("AWS_REGION", MotoServer.REGION, "AWS_ENDPOINT_URL", moto.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");
        try (AwsClientFactory aws = new AwsClientFactory(AmbientAws.fill(AwsSettings.defaults(), env))) {
            assertThat(aws.sts().getCallerIdentity().account()).isEqualTo(MotoServer.ACCOUNT);
        }
    }
}
