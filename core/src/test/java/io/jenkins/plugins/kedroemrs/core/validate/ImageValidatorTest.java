package io.jenkins.plugins.kedroemrs.core.validate;

import static io.jenkins.plugins.kedroemrs.core.validate.CheckStatus.FAIL;
import static io.jenkins.plugins.kedroemrs.core.validate.CheckStatus.PASS;
import static io.jenkins.plugins.kedroemrs.core.validate.CheckStatus.SKIPPED;
import static io.jenkins.plugins.kedroemrs.core.validate.CheckStatus.WARN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryAuth;
import io.jenkins.plugins.kedroemrs.core.testing.EmrTestImage;
import io.jenkins.plugins.kedroemrs.core.testing.FreePorts;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.RecordingProgress;
import io.jenkins.plugins.kedroemrs.core.testing.TestImage;
import io.jenkins.plugins.kedroemrs.core.testing.TestLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * emrsValidateImage end to end against a real registry (Debian's docker-registry on loopback): a good EMR-shaped image
 * passes everything; each broken variant fails exactly its own check (the whole status map is asserted).
 */
class ImageValidatorTest {
    static final String RELEASE = "emr-6.10.0";
    static final ReleaseProfile PROFILE = ReleaseProfiles.load(RELEASE);

    @TempDir
    static Path dir;
    static LocalRegistry registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.shared();
    }

    static ValidationRequest request(String image) {
        return ValidationRequest.of(image).withReleaseLabel(RELEASE).withArchitecture("X86_64").withPython(EmrTestImage.PYTHON)
                .withPackage(EmrTestImage.PACKAGE, EmrTestImage.VERSION);
    }

    static Map<String, CheckStatus> allPass() {
        Map<String, CheckStatus> m = new LinkedHashMap<>();
        ImageChecks.names(PROFILE).forEach(n -> m.put(n, PASS));
        return m;
    }

    static Map<String, CheckStatus> with(Object... changes) {
        Map<String, CheckStatus> m = allPass();
        for (int i = 0; i < changes.length; i += 2) {
            m.put((String) changes[i], (CheckStatus) changes[i + 1]);
        }
        return m;
    }

    ValidationReport validate(EmrTestImage image, String tag, UnaryOperator<ValidationRequest> change) throws Exception {
        image.build(dir).push(registry.host(), "kedro/app", tag);
        return new ImageValidator(new RecordingProgress()).validate(change.apply(request(registry.host() + "/kedro/app:" + tag)),
                RegistryAuth.anonymous());
    }

    @Test
    void aGoodImagePassesEveryCheckAndSaysSoInATable() throws Exception {
        RecordingProgress progress = new RecordingProgress();
        String digest = EmrTestImage.good(PROFILE).build(dir).push(registry.host(), "kedro/app", "good");
        ValidationReport r = new ImageValidator(progress).validate(request(registry.host() + "/kedro/app:good"), RegistryAuth.anonymous());
        assertThat(r.statuses()).isEqualTo(allPass());
        assertThat(r.passed()).isTrue();
        assertThat(r.manifestDigest()).isEqualTo(digest);
        assertThat(r.platform()).isEqualTo("linux/amd64");
        assertThat(r.releaseLabel()).isEqualTo(RELEASE);
        assertThat(r.read().passes()).isEqualTo(1);
        Map<String, String> reasons = new LinkedHashMap<>();
        r.checks().forEach(c -> reasons.put(c.name(), c.reason()));
        assertThat(reasons.get("env:JAVA_HOME")).isEqualTo("JAVA_HOME=/etc/alternatives/jre -> /usr/lib/jvm/java-17-amazon-corretto.x86_64");
        assertThat(reasons.get("python")).isEqualTo(EmrTestImage.PYTHON + " -> " + EmrTestImage.PYTHON + "3.11 (-rwxr-xr-x)");
        assertThat(reasons.get("package")).isEqualTo("greeter 0.1 installed: /usr/.pyenv/versions/3.11.9/lib/python3.11/site-packages/greeter-0.1.dist-info");
        assertThat(reasons.get("files:spark-jars")).isEqualTo("/usr/lib/spark/jars has all 245 required entries");
        assertThat(progress.events()).contains("info: CHECK               STATUS   REASON",
                "info: user                PASS     hadoop:hadoop",
                "info: files:bin-files     PASS     /usr/bin has tini",
                "info: " + r.summary());
        assertThat(r.summary()).startsWith("PASSED: 15 passed, 0 failed, 0 warnings, 0 skipped");
        assertThat(r.toMap()).containsEntry("passed", true).containsKey("checks");
    }

    static Stream<Arguments> brokenVariants() {
        return Stream.of(
                Arguments.of("wrong-user", EmrTestImage.good(PROFILE).config(i -> i.user("root")), with("user", FAIL)),
                Arguments.of("wrong-workdir", EmrTestImage.good(PROFILE).config(i -> i.workingDir("/opt")), with("working-dir", FAIL)),
                Arguments.of("no-entrypoint", EmrTestImage.good(PROFILE).config(i -> i.entrypoint((String[]) null)), with("entrypoint", FAIL)),
                Arguments.of("entrypoint-missing", EmrTestImage.good(PROFILE).without("/usr/bin/entrypoint.sh"), with("entrypoint", FAIL)),
                Arguments.of("no-java-home", EmrTestImage.good(PROFILE).config(i -> i.env("JAVA_HOME", null)),
                        with("env:JAVA_HOME", FAIL, "files:java-bin", SKIPPED)),
                Arguments.of("dangling-java-home", EmrTestImage.good(PROFILE).without(EmrTestImage.JAVA_HOME),
                        with("env:JAVA_HOME", FAIL, "files:java-bin", FAIL)),
                Arguments.of("no-spark-home", EmrTestImage.good(PROFILE).config(i -> i.env("SPARK_HOME", null)),
                        with("env:SPARK_HOME", FAIL, "files:spark-bin", SKIPPED, "files:spark-jars", SKIPPED)),
                Arguments.of("no-tini", EmrTestImage.good(PROFILE).without("/usr/bin/tini"), with("files:bin-files", FAIL)),
                Arguments.of("no-hadoop-common", EmrTestImage.good(PROFILE).without("/usr/lib/hadoop/hadoop-common-1.0.jar"),
                        with("files:hadoop-files", FAIL)),
                Arguments.of("no-hadoop-guava", EmrTestImage.good(PROFILE).without("/usr/lib/hadoop/lib/guava-1.0.jar"),
                        with("files:hadoop-jars", FAIL)),
                Arguments.of("no-java", EmrTestImage.good(PROFILE).without("/usr/lib/jvm/java-17-amazon-corretto.x86_64/bin/java"),
                        with("files:java-bin", FAIL)),
                Arguments.of("no-spark-submit", EmrTestImage.good(PROFILE).without("/usr/lib/spark/bin/spark-submit"),
                        with("files:spark-bin", FAIL)),
                Arguments.of("no-spark-core", EmrTestImage.good(PROFILE).without("/usr/lib/spark/jars/spark-core-1.0.jar"),
                        with("files:spark-jars", FAIL)),
                Arguments.of("arm64", EmrTestImage.good(PROFILE).config(i -> i.platform("linux", "arm64", null)), with("architecture", FAIL)),
                Arguments.of("no-python", EmrTestImage.good(PROFILE).withoutPython(), with("python", FAIL, "package", SKIPPED)),
                Arguments.of("python-not-executable", EmrTestImage.good(PROFILE).pythonMode(0644), with("python", FAIL, "package", SKIPPED)),
                Arguments.of("no-package", EmrTestImage.good(PROFILE).withoutPackage(), with("package", FAIL)),
                Arguments.of("no-conf", EmrTestImage.good(PROFILE).withoutConf(), with("conf", FAIL)),
                Arguments.of("whiteout-tini", EmrTestImage.good(PROFILE).topLayer(new TestLayer().whiteout("/usr/bin/tini")),
                        with("files:bin-files", FAIL)),
                Arguments.of("opaque-spark-jars", EmrTestImage.good(PROFILE).topLayer(new TestLayer().opaque("/usr/lib/spark/jars")
                        .file("/usr/lib/spark/jars/only-this.jar", 0644, "x")), with("files:spark-jars", FAIL)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenVariants")
    void eachBrokenVariantFailsItsOwnCheck(String tag, EmrTestImage image, Map<String, CheckStatus> expected) throws Exception {
        ValidationReport r = validate(image, tag, UnaryOperator.identity());
        assertThat(r.statuses()).as(String.join("\n", r.table())).isEqualTo(expected);
        assertThat(r.passed()).isFalse();
        r.checks().stream().filter(c -> c.status() == FAIL).forEach(c -> assertThat(c.reason()).isNotBlank().doesNotContain("\n"));
    }

    @Test
    void failureReasonsSayWhatIsWrongAndWhatToDo() throws Exception {
        ValidationReport r = validate(EmrTestImage.good(PROFILE).config(i -> i.user("root")).without("/usr/lib/spark/jars/spark-core-1.0.jar")
                .without("/usr/lib/spark/jars/py4j-1.0.jar").withoutPackage(), "reasons", UnaryOperator.identity());
        Map<String, String> reasons = new LinkedHashMap<>();
        r.checks().forEach(c -> reasons.put(c.name(), c.reason()));
        assertThat(reasons.get("user")).isEqualTo("USER is root; EMR Serverless needs hadoop:hadoop: end the Dockerfile with USER hadoop:hadoop");
        assertThat(reasons.get("files:spark-jars")).isEqualTo("missing in /usr/lib/spark/jars: py4j*, spark-core* (2 of 245)");
        assertThat(reasons.get("package")).isEqualTo("no greeter 0.1 dist-info in the site-packages of /usr/.pyenv/versions/3.11.9: "
                + "pip install the project's wheel with " + EmrTestImage.PYTHON);
    }

    @Test
    void warningsFailOnlyWhenStrict() throws Exception {
        EmrTestImage arm = EmrTestImage.good(PROFILE).config(i -> i.platform("linux", "arm64", null));
        ValidationReport lenient = validate(arm, "arm-warn", req -> req.withArchitecture(null));
        assertThat(lenient.statuses()).isEqualTo(with("architecture", WARN));
        assertThat(lenient.passed()).isTrue();
        ValidationReport strict = validate(arm, "arm-warn", req -> req.withArchitecture(null).withStrict(true));
        assertThat(strict.passed()).isFalse();
    }

    @Test
    void withoutPythonAndPackageThoseChecksAreSkipped() throws Exception {
        ValidationReport r = validate(EmrTestImage.good(PROFILE), "plain",
                req -> ValidationRequest.of(req.image()).withReleaseLabel(RELEASE));
        assertThat(r.statuses()).isEqualTo(with("python", SKIPPED, "package", SKIPPED, "conf", SKIPPED));
        assertThat(r.passed()).isTrue();
    }

    @Test
    void aManifestListWithTwoPlatformsIsCheckedForTheApplicationsArchitecture() throws Exception {
        TestImage amd = EmrTestImage.good(PROFILE).build(dir);
        TestImage arm = EmrTestImage.good(PROFILE).without("/usr/bin/tini").config(i -> i.platform("linux", "arm64", "v8")).build(dir);
        amd.push(registry.host(), "kedro/multi", "amd64");
        arm.push(registry.host(), "kedro/multi", "arm64");
        String index = TestImage.pushIndex(registry.host(), "kedro/multi", "both", true, List.of(amd, arm));
        String ref = registry.host() + "/kedro/multi:both";
        ImageValidator v = new ImageValidator(new RecordingProgress());

        ValidationReport x86 = v.validate(request(ref), RegistryAuth.anonymous());
        assertThat(x86.statuses()).isEqualTo(allPass());
        assertThat(x86.indexDigest()).isEqualTo(index);
        assertThat(x86.platform()).isEqualTo("linux/amd64");

        ValidationReport arm64 = v.validate(request(ref).withArchitecture("ARM64"), RegistryAuth.anonymous());
        assertThat(arm64.platform()).isEqualTo("linux/arm64/v8");
        assertThat(arm64.statuses()).isEqualTo(with("files:bin-files", FAIL)); // the arm64 image is the one without tini

        TestImage.pushIndex(registry.host(), "kedro/multi", "arm-only", false, List.of(arm));
        ValidationReport none = v.validate(request(registry.host() + "/kedro/multi:arm-only"), RegistryAuth.anonymous());
        Map<String, CheckStatus> expected = new LinkedHashMap<>();
        ImageChecks.names(PROFILE).forEach(n -> expected.put(n, n.equals("architecture") ? FAIL : SKIPPED));
        assertThat(none.statuses()).isEqualTo(expected);
        assertThat(none.checks().stream().filter(c -> c.name().equals("architecture")).findFirst().orElseThrow().reason())
                .isEqualTo("the image index offers [linux/arm64/v8] but the application is X86_64 (linux/amd64): "
                        + "build and push a linux/amd64 image too");
    }

    @Test
    void savedTarballsInBothFormatsAreReadInPlace() throws Exception {
        TestImage image = EmrTestImage.good(PROFILE).withoutConf().build(dir);
        Path dockerSave = dir.resolve("docker-save.tar");
        image.writeDockerSave(dockerSave, "kedro/app:saved");
        Path ociLayout = dir.resolve("oci-layout.tar");
        image.writeOciLayout(ociLayout);
        ImageValidator v = new ImageValidator(new RecordingProgress());
        for (Path p : List.of(dockerSave, ociLayout)) {
            ValidationReport r = v.validate(request(p.toString()), RegistryAuth.anonymous());
            assertThat(r.statuses()).as(p.toString()).isEqualTo(with("conf", FAIL));
        }
        assertThat(v.validate(request(ociLayout.toString()), RegistryAuth.anonymous()).manifestDigest()).startsWith("sha256:");
        assertThat(v.validate(request(dockerSave.toString()), RegistryAuth.anonymous()).manifestDigest()).isNull();
    }

    @Test
    void everyProfileChecksAGoodImageOfItsOwnShape() throws Exception {
        for (String label : ReleaseProfiles.known()) {
            ReleaseProfile p = ReleaseProfiles.load(label);
            TestImage image = EmrTestImage.good(p).build(dir);
            ValidationReport r = new ImageValidator(null).validate(
                    request("unused").withReleaseLabel(label), image.resolveLocally(label));
            assertThat(r.passed()).as(label + "\n" + String.join("\n", r.table())).isTrue();
            assertThat(r.checks()).hasSize(15);
        }
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsRead() {
        assertThatThrownBy(() -> request("x").withReleaseLabel("emr-5.36.0"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("release-label"))
                .hasMessageContaining("\"emr-5.36.0\" is not a release label this version knows. Use one of emr-6.9.0, emr-6.10.0");
        assertThatThrownBy(() -> request("x").withArchitecture("ppc64le")).hasMessage(
                "architecture: \"ppc64le\" is not an EMR Serverless architecture. Use X86_64 or ARM64");
        assertThatThrownBy(() -> request("x").withPython("python3")).hasMessageStartingWith("python: \"python3\" is not an absolute path");
        assertThatThrownBy(() -> request("x").withPackage("bad name!", null)).hasMessageStartingWith("package: \"bad name!\" is not");
        assertThatThrownBy(() -> new ImageValidator(null).validate(request("/no/such/image.tar"), RegistryAuth.anonymous()))
                .hasMessage("image: no saved image at /no/such/image.tar. Pass an existing tarball or a registry reference");
        assertThatThrownBy(() -> new ImageValidator(null).validate(request("Bad/Ref:x"), RegistryAuth.anonymous()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not a valid repository name");
        assertThat(ValidationRequest.of("x").withArchitecture("amd64").architecture()).isEqualTo("X86_64");
        assertThat(ValidationRequest.of("x").withArchitecture("aarch64").architecture()).isEqualTo("ARM64");
    }

    @Test
    void anUnreachableRegistryIsOneClearError() {
        int port = FreePorts.pick();
        assertThatThrownBy(() -> new ImageValidator(null).validate(request("127.0.0.1:" + port + "/kedro/app:1"), RegistryAuth.anonymous()))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("Cannot reach the registry 127.0.0.1:" + port + " at http://127.0.0.1:" + port)
                .hasMessageContaining("check the image reference and that the registry is up");
    }

    @Test
    void aMissingTagIsOneClearError() {
        assertThatThrownBy(() -> new ImageValidator(null).validate(request(registry.host() + "/kedro/app:nope"), RegistryAuth.anonymous()))
                .isInstanceOf(EngineException.class)
                .hasMessage("The registry " + registry.host() + " has no manifest nope in kedro/app (404 Not Found: MANIFEST_UNKNOWN "
                        + "manifest unknown): check the repository and tag of " + registry.host() + "/kedro/app:nope");
    }

    @Test
    void writesJunitXmlWithOneTestCasePerCheck() throws Exception {
        ValidationReport r = validate(EmrTestImage.good(PROFILE).withoutConf(), "junit",
                req -> req.withPython(null).withPackage(EmrTestImage.PACKAGE, null));
        Path xml = dir.resolve("reports/validate.xml");
        JunitReport.write(r, xml);
        String text = Files.readString(xml);
        assertThat(text).contains("<testsuite name=\"emrsValidateImage emr-6.10.0\" tests=\"15\" failures=\"1\" errors=\"0\" skipped=\"2\"")
                .contains("<testcase classname=\"emrsValidateImage.emr-6.10.0\" name=\"conf\" time=\"0\"><failure message=\"/home/hadoop/conf does not exist")
                .contains("name=\"python\" time=\"0\"><skipped message=\"no --python given\"></skipped>")
                .contains("<property name=\"image\" value=\"" + registry.host() + "/kedro/app:junit\"");
    }
}
