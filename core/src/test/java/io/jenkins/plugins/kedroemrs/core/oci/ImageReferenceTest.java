package io.jenkins.plugins.kedroemrs.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void parsesEcrReferencesWithTagAndDigest() {
        ImageReference r = ImageReference.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app:1.2@" + DIGEST);
        assertThat(r.registry()).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
        assertThat(r.repository()).isEqualTo("kedro/app");
        assertThat(r.tag()).isEqualTo("1.2");
        assertThat(r.digest()).isEqualTo(DIGEST);
        assertThat(r.manifestReference()).isEqualTo(DIGEST);
        assertThat(r.ecrAccountId()).isEqualTo("123456789012");
        assertThat(r.ecrRegion()).isEqualTo("eu-west-1");
        assertThat(r.withDigest(DIGEST).toString()).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app@" + DIGEST);
        assertThat(r.isLoopback()).isFalse();
    }

    @Test
    void understandsLoopbackRegistriesDockerHubAndDefaults() {
        ImageReference local = ImageReference.parse("127.0.0.1:5000/emr/spark");
        assertThat(local.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(local.tag()).isEqualTo("latest");
        assertThat(local.isLoopback()).isTrue();
        assertThat(ImageReference.parse("localhost/x:1").isLoopback()).isTrue();
        assertThat(local.ecrAccountId()).isNull();

        ImageReference hub = ImageReference.parse("busybox:1.36");
        assertThat(hub.registry()).isEqualTo("docker.io");
        assertThat(hub.repository()).isEqualTo("library/busybox");

        ImageReference pub = ImageReference.parse("public.ecr.aws/emr-serverless/spark/emr-6.10.0:latest");
        assertThat(pub.registry()).isEqualTo("public.ecr.aws");
        assertThat(pub.repository()).isEqualTo("emr-serverless/spark/emr-6.10.0");
    }

    @Test
    void refusesMalformedReferencesNamingTheField() {
        assertThatThrownBy(() -> ImageReference.parse("repo@sha256:xyz", "base-image"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("base-image"))
                .hasMessageContaining("malformed digest");
        assertThatThrownBy(() -> ImageReference.parse("Registry.example.com/UPPER:tag")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a valid repository name");
        assertThatThrownBy(() -> ImageReference.parse("repo:-bad")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a valid tag");
        assertThatThrownBy(() -> ImageReference.parse(" ")).isInstanceOf(InvalidInputException.class);
    }
}
