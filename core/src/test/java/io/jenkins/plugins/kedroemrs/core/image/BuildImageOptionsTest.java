package io.jenkins.plugins.kedroemrs.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one mapping of build-image's options (CLI, Pipeline step, freestyle build step) onto an {@link ImageRequest}. */
class BuildImageOptionsTest {
    static final String ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/greeter";

    @TempDir
    Path ws;
    PackageResult pr;

    @BeforeEach
    void pack() throws Exception {
        pr = DockerfileTemplateTest.fakePackage(Files.createDirectories(ws.resolve("dist")));
    }

    static BuildImageOptions defaults(String repository) {
        return new BuildImageOptions(repository, "", true, "", "", "", false, "", 0,
                new BuildImageOptions.Engine("", "", "", "", ""),
                new BuildImageOptions.Image("", "", "", false, false, "", "", "", "", ""),
                new BuildImageOptions.Python("", "", "", "", "", "", "", "", true),
                new BuildImageOptions.Pip("", "", "", "", "", "", false));
    }

    @Test
    void blankFieldsAreTheEnginesDefaults() {
        ImageRequest r = defaults(ECR).toRequest(ws, pr);
        assertThat(r.repository().repositoryUri()).isEqualTo(ECR);
        assertThat(r.tags()).isEmpty();
        assertThat(r.push()).isTrue();
        assertThat(r.builder()).isEqualTo(ContainerBuilder.DOCKER);
        assertThat(r.executable()).isEqualTo("docker");
        assertThat(r.buildKit()).isEqualTo(BuildKitMode.AUTO);
        assertThat(r.releaseLabel()).isEqualTo(ImageRequest.DEFAULT_RELEASE_LABEL);
        assertThat(r.architecture()).isEqualTo(Architecture.X86_64);
        assertThat(r.python()).isEqualTo(PythonSetup.pyenv(pr.pythonVersion()));
        assertThat(r.registryLogin()).isEqualTo(RegistryLoginMode.AUTO);
        assertThat(r.timeout()).isEqualTo(Duration.ofMinutes(60));
        assertThat(r.labels()).isEmpty();
        assertThat(r.ecrSetup()).isEqualTo(new EcrSetup(ECR, true, false, null, true));
    }

    @Test
    void textFieldsBecomeListsMapsAndPathsInTheBaseFolder() throws Exception {
        Files.writeString(ws.resolve("requirements.txt"), "pyarrow\n");
        Files.createDirectories(ws.resolve("wheels"));
        Files.writeString(ws.resolve("Dockerfile"), "FROM x\n");
        Files.writeString(ws.resolve("python.tar.gz"), "not really");
        Files.createDirectories(ws.resolve("bin"));
        BuildImageOptions o = new BuildImageOptions(ECR + ":ci-1", "v1, v2\nv3", false, "emr-7.1.0", "arm64", "00fabcdefgh12345", true,
                "ecr", 30,
                new BuildImageOptions.Engine("podman", "bin/podman", "off", "--network=host\n--squash", "CONTAINERS_CONF=/etc/c.conf"),
                new BuildImageOptions.Image("registry.example.com/emr/spark:7", "Dockerfile", "linux/arm64", true, true,
                        "a.example.com/c:1,b.example.com/c:2", "HTTP_PROXY=http://proxy:3128\nEMPTY=", "team=data\nx.y/z=a=b",
                        "0123abc", "https://ci.example.com/job/app/7/"),
                new BuildImageOptions.Python("prebuilt", "3.12.4", "python.tar.gz", "", "/opt/python", "", "", "", false),
                new BuildImageOptions.Pip("gcc, make\nlibpq-devel", "pandas>=1,<3\npyarrow==14.0.2", "requirements.txt",
                        "https://pypi.example.com/simple", "https://a.example.com/simple\nhttps://b.example.com/simple", "wheels", true));
        o.check();
        ImageRequest r = o.toRequest(ws, pr);
        assertThat(r.tags()).containsExactly("ci-1", "v1", "v2", "v3");
        assertThat(r.push()).isFalse();
        assertThat(r.builder()).isEqualTo(ContainerBuilder.PODMAN);
        assertThat(r.executable()).isEqualTo(ws.resolve("bin/podman").toAbsolutePath().toString());
        assertThat(r.buildKit()).isEqualTo(BuildKitMode.OFF);
        assertThat(r.builderArgs()).containsExactly("--network=host", "--squash");
        assertThat(r.builderEnvironment()).isEqualTo(Map.of("CONTAINERS_CONF", "/etc/c.conf"));
        assertThat(r.baseImage()).isEqualTo("registry.example.com/emr/spark:7");
        assertThat(r.dockerfile()).isEqualTo(ws.resolve("Dockerfile").toAbsolutePath());
        assertThat(r.effectivePlatform()).isEqualTo("linux/arm64");
        assertThat(r.architecture()).isEqualTo(Architecture.ARM64);
        assertThat(r.pull()).isTrue();
        assertThat(r.noCache()).isTrue();
        assertThat(r.cacheFrom()).containsExactly("a.example.com/c:1", "b.example.com/c:2");
        assertThat(r.buildArgs()).isEqualTo(Map.of("HTTP_PROXY", "http://proxy:3128", "EMPTY", ""));
        assertThat(r.labels()).isEqualTo(Map.of("team", "data", "x.y/z", "a=b", "org.opencontainers.image.revision", "0123abc",
                ImageBuilder.LABEL_PREFIX + "build-url", "https://ci.example.com/job/app/7/"));
        assertThat(r.python()).isEqualTo(new PythonSetup(PythonSetup.Installer.PREBUILT, "3.12.4", "/opt/python",
                ws.resolve("python.tar.gz").toAbsolutePath().toString(), null, null, null, null, false));
        assertThat(r.systemPackages()).containsExactly("gcc", "make", "libpq-devel");
        assertThat(r.pipRequirements()).containsExactly("pandas>=1,<3", "pyarrow==14.0.2");
        assertThat(r.requirementsFile()).isEqualTo(ws.resolve("requirements.txt").toAbsolutePath());
        assertThat(r.pipIndexUrl()).isEqualTo("https://pypi.example.com/simple");
        assertThat(r.pipExtraIndexUrls()).containsExactly("https://a.example.com/simple", "https://b.example.com/simple");
        assertThat(r.pipFindLinks()).isEqualTo(ws.resolve("wheels").toAbsolutePath());
        assertThat(r.pipNoIndex()).isTrue();
        assertThat(r.registryLogin()).isEqualTo(RegistryLoginMode.ECR);
        assertThat(r.ensureRepository()).isTrue();
        assertThat(r.applicationId()).isEqualTo("00fabcdefgh12345");
        assertThat(r.releaseLabel()).isEqualTo("emr-7.1.0");
        assertThat(r.timeout()).isEqualTo(Duration.ofMinutes(30));
        // Not pushed: the repository is still checked (created when missing) and its policy merged; no login needed.
        assertThat(r.ecrSetup()).isEqualTo(new EcrSetup(ECR, true, true,
                "arn:aws:emr-serverless:eu-west-1:123456789012:/applications/00fabcdefgh12345", false));
    }

    @Test
    void aRegistryOtherThanEcrNeedsNoAws() {
        assertThat(defaults("127.0.0.1:5000/kedro/greeter").toRequest(ws, pr).ecrSetup().needsAws()).isFalse();
    }

    @Test
    void theBuildsOwnLabelsFillOnlyWhatIsNotSet() {
        BuildImageOptions filled = defaults(ECR).withBuildLabels("abc123", "https://ci/job/1/");
        assertThat(filled.toRequest(ws, pr).labels()).containsEntry("org.opencontainers.image.revision", "abc123")
                .containsEntry(ImageBuilder.LABEL_PREFIX + "build-url", "https://ci/job/1/");
        BuildImageOptions own = filled.withBuildLabels("other", null);
        assertThat(own.image().gitCommit()).isEqualTo("abc123");
        assertThat(defaults(ECR).withBuildLabels(null, null).toRequest(ws, pr).labels()).isEmpty();
    }

    @Test
    void expandReachesEveryTextFieldAndTheSummaryShowsNoValues() {
        BuildImageOptions o = new BuildImageOptions("${REPO}", "${TAG}", true, "", "", "", false, "", 0,
                new BuildImageOptions.Engine("", "", "", "", ""),
                new BuildImageOptions.Image("", "", "", false, false, "", "TOKEN=${SECRET}", "", "${GIT_COMMIT}", ""),
                new BuildImageOptions.Python("", "${PY}", "", "", "", "", "", "", true),
                new BuildImageOptions.Pip("", "", "${REQS}", "", "", "", false));
        Map<String, String> env = Map.of("REPO", ECR, "TAG", "ci-7", "SECRET", "s3cr3t", "GIT_COMMIT", "abc", "PY", "3.11.9",
                "REQS", "reqs.txt");
        BuildImageOptions x = o.expand(s -> {
            if (s == null) {
                return null;
            }
            String out = s;
            for (Map.Entry<String, String> e : env.entrySet()) {
                out = out.replace("${" + e.getKey() + "}", e.getValue());
            }
            return out;
        });
        assertThat(x.repository()).isEqualTo(ECR);
        assertThat(x.tags()).isEqualTo("ci-7");
        assertThat(x.image().buildArgs()).isEqualTo("TOKEN=s3cr3t");
        assertThat(x.image().gitCommit()).isEqualTo("abc");
        assertThat(x.python().version()).isEqualTo("3.11.9");
        assertThat(x.pip().requirementsFile()).isEqualTo("reqs.txt");
        assertThat(x.summary()).isEqualTo(ECR + ":ci-7").doesNotContain("s3cr3t");
        BuildImageOptions podman = new BuildImageOptions(ECR, "", false, "emr-7.1.0", "ARM64", "", false, "", 0,
                new BuildImageOptions.Engine("podman", "", "", "", ""), o.image(), o.python(), o.pip());
        assertThat(podman.summary()).isEqualTo(ECR + " (podman, emr-7.1.0, ARM64, no push)");
    }

    @Test
    void eachFieldsCheckSaysWhatARunWouldSay() {
        assertField(() -> BuildImageOptions.checkRepository(ECR + "@sha256:" + "a".repeat(64)), "repository", "names a digest");
        assertField(() -> BuildImageOptions.checkTags("ok, -bad"), "tag", "\"-bad\" is not a valid tag");
        assertField(() -> BuildImageOptions.checkReleaseLabel("emr-6.6.0"), "release-label", "from emr-6.9.0 on");
        assertField(() -> BuildImageOptions.checkArchitecture("sparc"), "architecture", "unknown architecture");
        assertField(() -> BuildImageOptions.checkApplicationId("00fabcdefgh12345", "127.0.0.1:5000/kedro/x"), "application-id",
                "is not an ECR registry");
        assertField(() -> BuildImageOptions.checkEnsureRepository(true, "127.0.0.1:5000/kedro/x"), "ensure-repository",
                "is not an ECR registry");
        assertField(() -> BuildImageOptions.checkTimeout(-1), "timeout", "");
        assertField(() -> BuildImageOptions.checkBuilderEnv("DOCKER_HOST"), "builder-env", "is not NAME=VALUE");
        assertField(() -> BuildImageOptions.checkBuildArgs("1X=2"), "build-arg", "is not NAME=VALUE");
        assertField(() -> BuildImageOptions.checkLabels("=x"), "label", "is not NAME=VALUE");
        assertField(() -> BuildImageOptions.checkBaseImage("UPPER/Case"), "base-image", "");
        assertField(() -> BuildImageOptions.checkPlatform("amd64"), "platform", "is not a platform");
        assertField(() -> BuildImageOptions.checkCacheFrom("a:1,@@"), "cache-from", "");
        assertField(() -> BuildImageOptions.checkPythonVersion("3.11"), "python-version", "is not a Python 3 version");
        assertField(() -> BuildImageOptions.checkPythonHome("opt/python"), "python-home", "is not an absolute folder path");
        assertField(() -> PythonSetup.checkSha256("abc"), "python-dist-sha256", "is not a SHA-256");
        assertField(() -> PythonSetup.checkSourceText("python-dist", "https://user:pw@example.com/p.tar.gz"), "python-dist",
                "carries credentials");
        assertField(() -> PythonSetup.checkSourceText("pyenv-source", "pyenv.zip"), "pyenv-source", "is not a .tar.gz");
        assertField(() -> BuildImageOptions.checkMirrorUrl("ftp://mirror"), "python-build-mirror-url", "is not an http(s) URL");
        assertField(() -> BuildImageOptions.checkSystemPackages("gcc, rm -rf"), "system-package", "is not a package name");
        assertField(() -> BuildImageOptions.checkIndexUrl("https://u:p@pypi.example.com/simple"), "pip-index-url", "carries credentials");
        assertField(() -> BuildImageOptions.checkExtraIndexUrls("https://ok.example.com\nnot-a-url"), "pip-extra-index-url",
                "is not an http(s) URL");
    }

    @Test
    void missingFilesAreFoundWhereTheBuildRuns() {
        BuildImageOptions o = defaults("127.0.0.1:5000/kedro/x");
        BuildImageOptions noReqs = new BuildImageOptions(o.repository(), "", true, "", "", "", false, "", 0, o.engine(), o.image(),
                o.python(), new BuildImageOptions.Pip("", "", "missing.txt", "", "", "", false));
        noReqs.check();
        assertField(() -> noReqs.toRequest(ws, pr), "requirements-file", "no file at " + ws.resolve("missing.txt"));
        BuildImageOptions noIndex = new BuildImageOptions(o.repository(), "", true, "", "", "", false, "", 0, o.engine(), o.image(),
                o.python(), new BuildImageOptions.Pip("", "", "", "", "", "", true));
        assertField(noIndex::check, "pip-no-index", "needs a folder of wheels");
    }

    /** Fails with {@code field} and a message containing {@code text}. */
    static void assertField(ThrowingCallable call, String field, String text) {
        Consumer<InvalidInputException> check = e -> {
            assertThat(e.getField()).isEqualTo(field);
            assertThat(e.getMessage()).contains(text);
        };
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidInputException.class, check::accept);
    }

    /** A Jenkins step sends the options and gets the ECR setup back across a remoting channel as JSON. */
    @Test
    void theOptionsAndTheSetupTravelAsJson() {
        BuildImageOptions o = defaults(ECR).withBuildLabels("abc", "https://ci/1/").withExecutable("/usr/bin/docker");
        assertThat(io.jenkins.plugins.kedroemrs.core.util.Json.read(io.jenkins.plugins.kedroemrs.core.util.Json.write(o),
                BuildImageOptions.class, "options")).isEqualTo(o);
        EcrSetup setup = o.toRequest(ws, pr).ecrSetup();
        assertThat(io.jenkins.plugins.kedroemrs.core.util.Json.read(io.jenkins.plugins.kedroemrs.core.util.Json.write(setup),
                EcrSetup.class, "setup")).isEqualTo(setup);
    }

    @Test
    void itemsAndLines() {
        assertThat(BuildImageOptions.items(" a, b\n\nc ,")).isEqualTo(List.of("a", "b", "c"));
        assertThat(BuildImageOptions.lines("x,y\n z ")).isEqualTo(List.of("x,y", "z"));
        assertThat(BuildImageOptions.pairsText(new java.util.LinkedHashMap<>(Map.of("A", "1")))).isEqualTo("A=1\n");
    }
}
