package io.jenkins.plugins.kedroemrs.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.EcrAuthorization;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.FreePorts;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.core.testing.RecordingProgress;
import io.jenkins.plugins.kedroemrs.core.testing.RegistryBlobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What goes wrong around a build, with real engines and registries: the ECR token only ever travels through stdin into
 * a temporary configuration, a missing base image, an unreachable registry and a refused push each end in one clear error.
 * The builds here use a one-line Dockerfile of the user's own, so they take seconds.
 */
class ImageBuildProblemsTest {
    @TempDir
    Path tmp;
    PackageResult pr;

    @BeforeEach
    void pack() throws Exception {
        pr = DockerfileTemplateTest.fakePackage(tmp);
    }

    /** A user's Dockerfile that needs nothing but the test base image. */
    Path tinyDockerfile(ContainerEngine engine) throws Exception {
        return Files.writeString(tmp.resolve("Dockerfile"), "FROM " + engine.baseImage() + "\nARG KEDRO_WHEEL\n"
                + "COPY $KEDRO_WHEEL /tmp/\nUSER hadoop:hadoop\n");
    }

    @ParameterizedTest
    @EnumSource(value = ContainerBuilder.class, names = {"DOCKER", "PODMAN"}) // the container CLIs; jib: JibBuildTest
    void theEcrTokenGoesThroughStdinIntoATemporaryConfigurationOnly(ContainerBuilder b) throws Exception {
        ContainerEngine engine = ContainerEngine.of(b);
        MotoServer moto = MotoServer.shared();
        moto.reset();
        LocalRegistry registry = LocalRegistry.shared();
        // A wrapper in front of the real CLI writes down every argument list and the configuration it was pointed at.
        Path argv = tmp.resolve("argv.log");
        Path wrapper = tmp.resolve("cli-wrapper");
        Files.writeString(wrapper, "#!/bin/sh\nprintf '%s|DOCKER_CONFIG=%s|REGISTRY_AUTH_FILE=%s\\n' \"$*\" \"$DOCKER_CONFIG\" "
                + "\"$REGISTRY_AUTH_FILE\" >> " + argv + "\nexec " + engine.executable() + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path userDockerConfig = Path.of(System.getProperty("user.home"), ".docker", "config.json");
        String userConfigBefore = Files.isRegularFile(userDockerConfig) ? Files.readString(userDockerConfig) : null;

        RecordingProgress progress = new RecordingProgress();
        ImageResult result;
        String password;
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            password = EcrAuthorization.fetch(aws.ecr(), null).password();
            // ECR's token, logged in to the local registry (moto has no /v2 endpoint; this registry accepts any login).
            ImageRequest r = ImageRequest.builder(pr, ImageReference.parse(registry.host() + "/kedro/login-" + b))
                    .builder(b).executable(wrapper.toString()).builderEnvironment(engine.environment()).buildKit(BuildKitMode.OFF)
                    .dockerfile(tinyDockerfile(engine)).push(true).registryLogin(RegistryLoginMode.ECR).build();
            result = new ImageBuilder(progress, aws).build(r);
        }
        assertThat(password).isNotBlank();
        assertThat(result.digest()).isEqualTo(RegistryBlobs.manifest(registry, "kedro/login-" + b, result.tags().get(0)).digest());
        List<String> calls = Files.readAllLines(argv);
        assertThat(calls).anyMatch(l -> l.startsWith("login ") && l.contains("--username AWS --password-stdin " + registry.host()));
        assertThat(String.join("\n", calls)).doesNotContain(password);
        assertThat(progress.all()).doesNotContain(password).contains("kept in a temporary client configuration only");
        // The temporary configuration is gone, and the user's own was not touched.
        String configured = calls.stream().filter(l -> l.startsWith("push ")).findFirst().orElseThrow()
                .replaceAll(".*\\|DOCKER_CONFIG=([^|]*)\\|REGISTRY_AUTH_FILE=(.*)", "$1$2");
        assertThat(configured).contains("kedro-emrs-login-");
        assertThat(Path.of(configured)).doesNotExist();
        assertThat(Files.isRegularFile(userDockerConfig) ? Files.readString(userDockerConfig) : null).isEqualTo(userConfigBefore);
        assertThat(progress.all()).contains("warn: the Dockerfile never names the conf archive");
    }

    /**
     * The split a Jenkins controller and agent make: the AWS side ({@link EcrSetup#apply}) apart, then the build with only
     * the token, in a given environment: the executable is found on that environment's PATH (not this JVM's), and
     * DOCKER_HOST or podman's configuration, and DOCKER_CONFIG (as withDockerServer and withDockerRegistry set them),
     * come from it, not from builder-env.
     */
    @ParameterizedTest
    @EnumSource(value = ContainerBuilder.class, names = {"DOCKER", "PODMAN"}) // the container CLIs; jib: JibBuildTest
    void theBuildHalfTakesOnlyTheTokenAndRunsInTheGivenEnvironment(ContainerBuilder b) throws Exception {
        ContainerEngine engine = ContainerEngine.of(b);
        MotoServer moto = MotoServer.shared();
        moto.reset();
        LocalRegistry registry = LocalRegistry.shared();
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path argv = tmp.resolve("argv.log");
        Path real = new io.jenkins.plugins.kedroemrs.core.process.ProcessRunner(null).findExecutable(engine.executable()).orElseThrow();
        Files.writeString(bin.resolve("kedro-test-cli"), "#!/bin/sh\nprintf '%s|%s\\n' \"$*\" \"$DOCKER_CONFIG\" >> " + argv
                + "\n[ \"$1\" = push ] && [ -n \"$DOCKER_CONFIG\" ] && cat \"$DOCKER_CONFIG/config.json\" >> " + argv + "\nexec " + real + " \"$@\"\n");
        Files.setPosixFilePermissions(bin.resolve("kedro-test-cli"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path userConfig = Files.createDirectories(tmp.resolve("step-docker-config"));
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.putAll(engine.environment());
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("DOCKER_CONFIG", userConfig.toString());

        ImageRequest r = ImageRequest.builder(pr, ImageReference.parse(registry.host() + "/kedro/split-" + b))
                .builder(b).executable("kedro-test-cli").buildKit(BuildKitMode.OFF)
                .dockerfile(tinyDockerfile(engine)).push(true).registryLogin(RegistryLoginMode.ECR).build();
        RecordingProgress progress = new RecordingProgress();
        assertThatThrownBy(() -> new ImageBuilder(progress, null).preflight(r)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.getMessage()).contains("no executable \"kedro-test-cli\" on PATH"));
        ImageBuilder agent = new ImageBuilder(progress, null, env);
        EcrSetup setup = agent.preflight(r);
        assertThat(setup.login()).isTrue();
        assertThatThrownBy(() -> agent.build(r, null)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.getField()).isEqualTo("registry-login"));

        EcrAuthorization token;
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            token = setup.apply(aws.ecr(), progress);
        }
        ImageResult result = agent.build(r, token);
        assertThat(result.digest()).isEqualTo(RegistryBlobs.manifest(registry, "kedro/split-" + b, result.tags().get(0)).digest());
        String calls = Files.readString(argv);
        assertThat(calls).contains("login ").doesNotContain(token.password());
        assertThat(progress.all()).doesNotContain(token.password());
        if (b == ContainerBuilder.DOCKER) {
            assertThat(calls).contains("version --format {{.Server.Version}}|" + userConfig)
                    .contains("cliPluginsExtraDirs").contains("\"" + userConfig.resolve("cli-plugins") + "\"");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ContainerBuilder.class, names = {"DOCKER", "PODMAN"}) // the container CLIs; jib: JibBuildTest
    void aMissingBaseImageIsOneClearError(ContainerBuilder b) throws Exception {
        ContainerEngine engine = ContainerEngine.of(b);
        ImageRequest r = ImageRequest.builder(pr, ImageReference.parse("127.0.0.1:5000/kedro/never-pushed")).builder(b)
                .executable(engine.executable()).builderEnvironment(engine.environment())
                .baseImage("localhost/kedro-emrs-test/no-such-base:1").python(PythonSetup.pyenv("3.11.9")).build();
        assertThatThrownBy(() -> new ImageBuilder(null, null).build(r)).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("base-image: the base image localhost/kedro-emrs-test/no-such-base:1 could not be pulled (")
                .hasMessageContaining("Pass --base-image");
    }

    @Test
    void anUnreachableRegistryFailsBeforeTheBuild() throws Exception {
        ContainerEngine engine = ContainerEngine.docker();
        int closed = FreePorts.pick();
        RecordingProgress progress = new RecordingProgress();
        ImageRequest r = ImageRequest.builder(pr, ImageReference.parse("127.0.0.1:" + closed + "/kedro/greeter"))
                .executable(engine.executable()).builderEnvironment(engine.environment()).dockerfile(tinyDockerfile(engine))
                .push(true).build();
        assertThatThrownBy(() -> new ImageBuilder(progress, null).build(r)).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("Cannot reach the registry 127.0.0.1:" + closed + " at http://127.0.0.1:" + closed + " (")
                .hasMessageContaining("check the image reference and that the registry is up");
        assertThat(progress.all()).doesNotContain("Building ");
    }

    @ParameterizedTest
    @EnumSource(value = ContainerBuilder.class, names = {"DOCKER", "PODMAN"}) // the container CLIs; jib: JibBuildTest
    void aRefusedPushIsOneClearError(ContainerBuilder b) throws Exception {
        ContainerEngine engine = ContainerEngine.of(b);
        LocalRegistry readOnly = LocalRegistry.startRefusingPushes();
        ImageRequest r = ImageRequest.builder(pr, ImageReference.parse(readOnly.host() + "/kedro/greeter")).builder(b)
                .executable(engine.executable()).builderEnvironment(engine.environment()).buildKit(BuildKitMode.OFF)
                .dockerfile(tinyDockerfile(engine)).push(true).build();
        assertThatThrownBy(() -> new ImageBuilder(null, null).build(r)).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("The registry refused the push of " + readOnly.host() + "/kedro/greeter:0.1-")
                .hasMessageContaining("405").hasMessageContaining("ecr:PutImage");
    }

    @Test
    void ecrNeedsAwsAccessWhichIsBadInputWithoutIt() {
        ImageRequest r = ImageRequest.builder(pr, ImageReference.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/greeter"))
                .executable("sh").push(true).build();
        assertThatThrownBy(() -> new ImageBuilder(null, null).build(r)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.getField()).isEqualTo("region"));
    }
}
