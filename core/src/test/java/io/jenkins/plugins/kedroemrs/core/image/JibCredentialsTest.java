package io.jenkins.plugins.kedroemrs.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which login builder jib uses for each registry of a build, and that none shows its password. */
class JibCredentialsTest {
    @TempDir
    Path dist;

    ImageRequest request(String repository, RegistryLoginMode login) throws Exception {
        Path tarball = dist.resolve("python.tar.gz");
        java.nio.file.Files.writeString(tarball, "not read: only the request is made here");
        return ImageRequest.builder(SamplePackageResult.writeBuildable(dist, "1.7.0"), ImageReference.parse(repository))
                .builder(ContainerBuilder.JIB).registryLogin(login).baseImage("registry.example.com/emr/spark:7")
                .python(PythonSetup.prebuilt("3.11.9", tarball.toString())).build();
    }

    @Test
    void theEnvironmentsLoginIsForTheTargetsRegistryOnlyAndNeverShown() throws Exception {
        ImageRequest r = request("registry.example.com/kedro/app", RegistryLoginMode.AUTO);
        Map<String, String> env = Map.of(JibBuild.USER_ENV, "ci", JibBuild.PASSWORD_ENV, "s3cr3t-password");
        JibBuild.Credentials target = JibBuild.credentials(r, r.repository(), null, env);
        assertThat(target.username()).isEqualTo("ci");
        assertThat(target.toString()).doesNotContain("s3cr3t-password").contains("****");
        assertThat(target.registryAuth().toString()).doesNotContain("s3cr3t-password");
        // A registry other than the target's never gets it.
        assertThat(JibBuild.credentials(r, ImageReference.parse("public.ecr.aws/emr-serverless/spark/emr-7.1.0:latest"), null, env))
                .isEqualTo(JibBuild.Credentials.ANONYMOUS);
        // registry login none: the agent's own docker login (DOCKER_CONFIG), as docker and podman would use it.
        ImageRequest none = request("registry.example.com/kedro/app", RegistryLoginMode.NONE);
        JibBuild.Credentials agent = JibBuild.credentials(none, none.repository(), null, Map.of("DOCKER_CONFIG", "/ws/.docker-abc"));
        assertThat(agent.dockerConfig()).isTrue();
        assertThat(agent.dockerConfigFile()).isEqualTo(Path.of("/ws/.docker-abc/config.json"));
    }
}
