package io.jenkins.plugins.kedroemrs.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendered Dockerfile, the build plan and the request's checks: pure logic, no engine. */
class DockerfileTemplateTest {
    static final ImageReference ECR = ImageReference.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/greeter");

    @TempDir
    Path tmp;
    PackageResult pr;

    /** A packaging result with a small but real wheel (METADATA with dependencies, __main__.py) and conf tarball. */
    static PackageResult fakePackage(Path dir) throws IOException {
        return SamplePackageResult.writeBuildable(dir, "1.7.0");
    }

    @BeforeEach
    void pack() throws IOException {
        pr = fakePackage(tmp);
    }

    @Test
    void theDefaultIsTheGuidesImageDoneRight() {
        ImageRequest r = ImageRequest.builder(pr, ECR).build();
        String d = DockerfileTemplate.render(r);
        assertThat(d).contains("FROM public.ecr.aws/emr-serverless/spark/emr-6.10.0:latest\n")
                .contains("ENV PYENV_ROOT=/usr/.pyenv\n")
                .contains("curl -fsSL --retry 3 '" + PythonSetup.DEFAULT_PYENV_SOURCE + "'")
                .contains("\"$PYENV_ROOT/bin/pyenv\" install --skip-existing 3.11.9;")
                .contains("COPY kedro-emrs/greeter-0.1-py3-none-any.whl /tmp/kedro-emrs/greeter-0.1-py3-none-any.whl")
                .contains("/usr/.pyenv/versions/3.11.9/bin/python -m pip install --no-cache-dir --disable-pip-version-check --no-deps"
                        + " /tmp/kedro-emrs/greeter-0.1-py3-none-any.whl")
                .contains("ADD kedro-emrs/conf-greeter.tar.gz /home/hadoop/")
                .doesNotContain("{{").doesNotContain("FROM AS");
        assertThat(d.strip()).endsWith("USER hadoop:hadoop");
        // Layer order: Python, then the dependencies, then conf, then the wheel.
        assertThat(d.indexOf("pyenv\" install")).isLessThan(d.indexOf("requirements-project.txt"));
        assertThat(d.indexOf("requirements-project.txt")).isLessThan(d.indexOf("ADD kedro-emrs/conf-greeter.tar.gz"));
        assertThat(d.indexOf("ADD kedro-emrs/conf-greeter.tar.gz")).isLessThan(d.indexOf("COPY kedro-emrs/greeter-0.1"));
        assertThat(DockerfileCheck.check(d, pr.wheel().fileName(), pr.confArchive().fileName())).isEmpty();
    }

    @Test
    void optionsShowUpInTheTemplate() throws IOException {
        Path wheels = Files.createDirectories(tmp.resolve("wheels"));
        Path reqs = Files.writeString(tmp.resolve("req.txt"), "pyarrow==14.0.2\n");
        ImageRequest r = ImageRequest.builder(pr, ECR).releaseLabel("emr-7.1.0").architecture(Architecture.parse("arm64"))
                .python(new PythonSetup(PythonSetup.Installer.PREBUILT, "3.11.9", "/opt/python",
                        "https://example.com/cpython-3.11.9-install_only.tar.gz", "a".repeat(64), null, null, null, false))
                .systemPackages(List.of("git", "java-17-amazon-corretto-headless")).pipRequirements(List.of("s3fs>=2024.1"))
                .requirementsFile(reqs).pipIndexUrl("https://pypi.example.com/simple").pipFindLinks(wheels).build();
        String d = DockerfileTemplate.render(r);
        assertThat(d).contains("FROM public.ecr.aws/emr-serverless/spark/emr-7.1.0:latest")
                .contains("dnf install -y git java-17-amazon-corretto-headless")
                .contains("curl -fsSL --retry 3 -o /tmp/kedro-emrs-python.tar.gz 'https://example.com/cpython-3.11.9-install_only.tar.gz'")
                .contains("expected='" + "a".repeat(64) + "'")
                .contains("tar -xzf /tmp/kedro-emrs-python.tar.gz --strip-components=1 -C /opt/python")
                .contains("COPY kedro-emrs/wheelhouse/ /tmp/kedro-emrs/wheelhouse/")
                .contains("--find-links /tmp/kedro-emrs/wheelhouse --index-url 'https://pypi.example.com/simple' -r /tmp/kedro-emrs/requirements-extra.txt")
                .doesNotContain("pyenv");
        assertThat(r.effectivePlatform()).isEqualTo("linux/arm64");
        assertThat(r.python().pythonPath()).isEqualTo("/opt/python/bin/python");
    }

    @Test
    void thePlanListsContextTagsAndCommandsWithoutSecrets() throws IOException {
        ImageRequest r = ImageRequest.builder(pr, ECR).push(true).applicationId("00fabcdefghij12k").build();
        BuildPlan plan = new ImageBuilder(null, null).plan(r);
        assertThat(plan.contextFiles()).extracting(BuildContext.ContextFile::path).containsExactly("Dockerfile",
                "kedro-emrs/greeter-0.1-py3-none-any.whl", "kedro-emrs/conf-greeter.tar.gz", "kedro-emrs/entrypoint_greeter.py",
                "kedro-emrs/requirements-project.txt", "kedro-emrs/python/README.txt");
        assertThat(plan.references()).singleElement().asString().startsWith(ECR.repositoryUri() + ":0.1-");
        assertThat(plan.commands().get(0)).startsWith("docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com");
        assertThat(plan.commands().get(1)).contains("docker build --file CONTEXT/Dockerfile").contains("--platform linux/amd64")
                .doesNotContain("--label");
        assertThat(plan.dockerfile()).contains("io.jenkins.plugins.kedroemrs.python=\"/usr/.pyenv/versions/3.11.9/bin/python\"");
        assertThat(plan.commands().get(2)).startsWith("docker push " + ECR.repositoryUri() + ":0.1-");
        assertThat(r.needsAws()).isTrue();
        assertThat(ImageRequest.builder(pr, ECR).build().needsAws()).as("a local build for an ECR name calls no AWS").isFalse();
        assertThat(plan.ecrActions()).anyMatch(a -> a.contains("arn:aws:emr-serverless:eu-west-1:123456789012:/applications/00fabcdefghij12k"));
        // The requirements layer is keyed on the wheel's Requires-Dist only (extras left out), so code changes keep it.
        assertThat(BuildContext.projectRequirements(pr)).isEqualTo("# Requires-Dist of greeter 0.1\nkedro~=1.7.0\n");
        // Same inputs, same tag; the plan wrote nothing.
        assertThat(new ImageBuilder(null, null).plan(r).references()).isEqualTo(plan.references());
    }

    @Test
    void aUsersDockerfileIsCheckedNotRendered() throws IOException {
        Path own = Files.writeString(tmp.resolve("Dockerfile"), "FROM public.ecr.aws/emr-serverless/spark/emr-6.10.0:latest\nUSER root\n"
                + "COPY $KEDRO_WHEEL /tmp/\nADD kedro-emrs/conf-greeter.tar.gz /home/hadoop/\nUSER hadoop:hadoop\n");
        BuildPlan plan = new ImageBuilder(null, null).plan(ImageRequest.builder(pr, ECR).dockerfile(own).build());
        assertThat(plan.dockerfile()).isEqualTo(Files.readString(own));
        assertThat(plan.commands().get(0)).contains("--build-arg KEDRO_WHEEL=kedro-emrs/greeter-0.1-py3-none-any.whl")
                .contains("--label io.jenkins.plugins.kedroemrs.python=/usr/.pyenv/versions/3.11.9/bin/python");
        assertThat(DockerfileTemplate.labelValue("My \"quoted\" $HOME\nproject")).isEqualTo("My \\\"quoted\\\" \\$HOME project");

        assertThatThrownBy(() -> DockerfileCheck.check("FROM  AS base\nUSER hadoop:hadoop\n", "w.whl", "c.tar.gz"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dockerfile: a FROM line names no image");
        assertThatThrownBy(() -> DockerfileCheck.check("RUN true\n", "w.whl", "c.tar.gz"))
                .hasMessageContaining("dockerfile: there is no FROM line");
        assertThatThrownBy(() -> DockerfileCheck.check("FROM x\nUSER hadoop\nUSER root\n", "w.whl", "c.tar.gz"))
                .hasMessageContaining("the last USER is \"root\"");
        assertThat(DockerfileCheck.check("FROM x AS build\nUSER root\nFROM y\n# USER root\nRUN pip install \\\n  a\n", "w.whl", "c.tar.gz"))
                .anyMatch(w -> w.contains("sets no USER")).anyMatch(w -> w.contains("never names the wheel"));
    }

    @Test
    void badInputNamesTheFieldBeforeAnythingRuns() {
        assertThatThrownBy(() -> ImageRequest.builder(null, ECR)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.getField()).isEqualTo("package-result")).hasMessageContaining("Run `kedro-emrs package`");
        assertThatThrownBy(() -> PackageResult.read(tmp.resolve("nothing-here.json"))).hasMessageContaining("package-result: no packaging result");
        assertThatThrownBy(() -> ContainerBuilder.parse("kaniko")).hasMessage("builder: unknown builder \"kaniko\". Use docker, podman or jib");
        assertThatThrownBy(() -> BuildKitMode.parse("maybe")).hasMessageContaining("buildkit:");
        assertThatThrownBy(() -> Architecture.parse("s390x")).hasMessageContaining("architecture: unknown architecture");
        assertThatThrownBy(() -> ImageRequest.builder(pr, ECR).releaseLabel("emr-6.8.0").build())
                .hasMessageContaining("release-label: EMR Serverless runs custom images from emr-6.9.0 on");
        assertThatThrownBy(() -> ImageRequest.builder(pr, ECR).releaseLabel("6.10").build()).hasMessageContaining("is not an EMR release label");
        assertThatThrownBy(() -> ImageRequest.builder(pr, ECR).tags(List.of("-bad")).build()).hasMessageContaining("tag: \"-bad\"");
        assertThatThrownBy(() -> ImageRequest.builder(pr, ECR.withDigest("sha256:" + "0".repeat(64))).build())
                .hasMessageContaining("repository:").hasMessageContaining("names a digest");
        assertThatThrownBy(() -> ImageRequest.builder(pr, ECR).pipIndexUrl("https://user:token@pypi.example.com/simple").build())
                .hasMessageContaining("pip-index-url: the URL carries credentials");
        assertThatThrownBy(() -> ImageRequest.builder(pr, ECR).systemPackages(List.of("git; rm -rf /")).build())
                .hasMessageContaining("system-package:");
        assertThatThrownBy(() -> ImageRequest.builder(pr, ECR).pipNoIndex(true).build()).hasMessageContaining("pip-no-index:");
        assertThatThrownBy(() -> ImageRequest.builder(pr, ImageReference.parse("127.0.0.1:5000/x")).ensureRepository(true).build())
                .hasMessageContaining("ensure-repository: 127.0.0.1:5000 is not an ECR registry");
        assertThatThrownBy(() -> ImageRequest.builder(pr, ECR).applicationId("My-App").build()).hasMessageContaining("application-id: \"My-App\" is not an EMR Serverless application id");
        assertThatThrownBy(() -> PythonSetup.pyenv("3.9")).hasMessageContaining("python-version: \"3.9\" is not a Python 3 version");
        assertThatThrownBy(() -> PythonSetup.prebuilt("3.11.9", "/nope/python.tar.gz")).hasMessageContaining("python-dist: no file at /nope/python.tar.gz");
        assertThatThrownBy(() -> new PythonSetup(PythonSetup.Installer.PYENV, "3.11.9", "/opt/python", null, null, null, null, null, true))
                .hasMessageContaining("python-home: pyenv installs into <PYENV_ROOT>/versions/3.11.9");
        assertThatThrownBy(() -> PythonSetup.Installer.parse("conda")).hasMessageContaining("python-installer:");
    }

    @Test
    void aBuilderThatIsNotInstalledIsBadInput() {
        ImageRequest r = ImageRequest.builder(pr, ImageReference.parse("127.0.0.1:5000/kedro/greeter"))
                .executable("/nope/docker").build();
        assertThatThrownBy(() -> new ImageBuilder(null, null).build(r)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.getField()).isEqualTo("builder")).hasMessageContaining("docker is not installed: no executable \"/nope/docker\"");
        ImageRequest podman = ImageRequest.builder(pr, ImageReference.parse("127.0.0.1:5000/kedro/greeter"))
                .builder(ContainerBuilder.PODMAN).executable("no-such-podman-here").build();
        assertThatThrownBy(() -> new ImageBuilder(null, null).build(podman)).hasMessageContaining("no executable \"no-such-podman-here\" on PATH")
                .hasMessageContaining("or use --builder docker");
    }
}
