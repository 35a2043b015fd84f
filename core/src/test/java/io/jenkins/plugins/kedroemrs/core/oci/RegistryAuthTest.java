package io.jenkins.plugins.kedroemrs.core.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import org.junit.jupiter.api.Test;

/** ECR logins come from GetAuthorizationToken (moto_server stands in for ECR's API; it has no /v2 registry endpoint). */
class RegistryAuthTest {
    @Test
    void ecrImagesLogInWithGetAuthorizationTokenOthersAnonymously() throws Exception {
        MotoServer moto = MotoServer.shared();
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            RegistryAuth ecr = RegistryAuth.forImage(ImageReference.parse(MotoServer.ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com/kedro/app:1"), aws);
            assertThat(ecr.hasCredentials()).isTrue();
            assertThat(ecr.preemptive()).isTrue();
            assertThat(ecr.basicHeader()).startsWith("Basic ");
            assertThat(ecr.toString()).isEqualTo("RegistryAuth[username=AWS, password=****, ecr]");
            RegistryAuth local = RegistryAuth.forImage(ImageReference.parse("127.0.0.1:5000/kedro/app:1"), aws);
            assertThat(local.hasCredentials()).isFalse();
        }
    }
}
