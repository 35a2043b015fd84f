package io.jenkins.plugins.kedroemrs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.testing.EmrTestImage;
import io.jenkins.plugins.kedroemrs.core.testing.FreePorts;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.TestImage;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.core.validate.ReleaseProfiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateImageCommandTest {
    @TempDir
    static Path dir;
    static LocalRegistry registry;
    static String good;
    static String broken;
    static TestImage goodImage;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pushImages() throws Exception {
        registry = LocalRegistry.shared();
        goodImage = EmrTestImage.good(ReleaseProfiles.load("emr-6.12.0")).build(dir);
        goodImage.push(registry.host(), "cli/app", "good");
        EmrTestImage.good(ReleaseProfiles.load("emr-6.12.0")).config(i -> i.user("root")).build(dir).push(registry.host(), "cli/app", "root");
        good = registry.host() + "/cli/app:good";
        broken = registry.host() + "/cli/app:root";
    }

    private static String[] args(String image, String... more) {
        String[] base = {"validate-image", image, "--release-label", "emr-6.12.0", "--architecture", "X86_64", "--python", EmrTestImage.PYTHON,
            "--no-layer-cache"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void aGoodImageExitsZeroWithTheTableOnStderrAndTheVerdictOnStdout() {
        CliRun run = CliRun.of(args(good, "--package", EmrTestImage.PACKAGE + "==" + EmrTestImage.VERSION));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout().strip()).isEqualTo("PASSED: 15 passed, 0 failed, 0 warnings, 0 skipped — " + good + " against emr-6.12.0");
        assertThat(run.stderr()).contains("==> Reading " + good, "==> Checking the image against emr-6.12.0",
                "    CHECK               STATUS   REASON", "    package             PASS     greeter 0.1 installed: ");
    }

    @Test
    void aFailedCheckExitsOneAndWritesJunitXmlAndJson() throws Exception {
        Path xml = tmp.resolve("out/validate.xml");
        CliRun run = CliRun.of(args(broken, "--json", "--junit", xml.toString()));
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(Main.FAILED);
        JsonNode json = Json.MAPPER.readTree(run.stdout());
        assertThat(json.path("passed").asBoolean()).isFalse();
        assertThat(json.path("checks").get(0).path("name").asText()).isEqualTo("user");
        assertThat(json.path("checks").get(0).path("status").asText()).isEqualTo("FAIL");
        assertThat(json.path("read").path("passes").asInt()).isEqualTo(1);
        assertThat(Files.readString(xml)).contains("failures=\"1\"", "name=\"user\"", "<failure message=\"USER is root;");
    }

    @Test
    void readsThePackageFromAPackagingResultAndValidatesSavedTarballs() throws Exception {
        Path result = Files.writeString(tmp.resolve("kedro-emrs-package.json"),
                "{\"packageName\":\"greeter\",\"distributionName\":\"greeter\",\"packageVersion\":\"0.1\"}");
        Path tar = tmp.resolve("image.tar");
        goodImage.writeOciLayout(tar);
        CliRun run = CliRun.of(args(tar.toString(), "--package-result", result.toString()));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("==> Reading the saved image " + tar, "package             PASS     greeter 0.1 installed");
    }

    @Test
    void theLayerCacheSparesReadingUnchangedLayersTheNextTime() throws Exception {
        Path cache = tmp.resolve("cache");
        CliRun first = CliRun.of("validate-image", good, "--release-label", "emr-6.12.0", "--layer-cache", cache.toString());
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stderr()).contains("(4 of 4 layers opened, 3 verified by digest, 0 from the layer cache, 1 pass, stopped early)");
        try (var files = Files.list(cache)) {
            assertThat(files.map(f -> f.getFileName().toString().replaceFirst("^[a-f0-9]{64}", "<digest>")).sorted())
                    .containsExactly("<digest>.idx.gz", "<digest>.idx.gz", "<digest>.idx.gz", "<digest>.partial.idx.gz");
        }
        CliRun second = CliRun.of("validate-image", good, "--release-label", "emr-6.12.0", "--layer-cache", cache.toString());
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stderr()).contains("Read 0.0 MiB of ", "(0 of 4 layers opened, 0 verified by digest, 4 from the layer cache, 1 pass, stopped early)");
        assertThat(second.stdout()).isEqualTo(first.stdout());
    }

    @Test
    void badInputExitsTwoBeforeAnythingIsRead() {
        CliRun label = CliRun.of("validate-image", good, "--release-label", "emr-5.36.0");
        assertThat(label.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(label.stderr()).contains("error: release-label: \"emr-5.36.0\" is not a release label this version knows. Use one of emr-6.9.0,");
        assertThat(label.stderr()).doesNotContain("==> Reading");

        CliRun both = CliRun.of("validate-image", good, "--package", "x", "--package-result", tmp.toString());
        assertThat(both.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(both.stderr()).contains("error: package: both package and package-result were given. Pass one of them");

        CliRun noResult = CliRun.of("validate-image", good, "--package-result", tmp.toString());
        assertThat(noResult.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(noResult.stderr()).contains("error: package-result: no packaging result at " + tmp.resolve("kedro-emrs-package.json"));

        CliRun arch = CliRun.of("validate-image", good, "--architecture", "sparc");
        assertThat(arch.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(arch.stderr()).contains("error: architecture: \"sparc\" is not an EMR Serverless architecture. Use X86_64 or ARM64");

        CliRun user = CliRun.of("validate-image", good, "--registry-username", "ci");
        assertThat(user.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(user.stderr()).contains("error: registry-username: no password for ci. Put the password in the environment variable "
                + ValidateImageCommand.PASSWORD_ENV);
    }

    @Test
    void anUnreachableRegistryExitsOneWithOneClearLine() {
        int port = FreePorts.pick();
        CliRun run = CliRun.of(args("127.0.0.1:" + port + "/cli/app:1"));
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        assertThat(run.stderr()).contains("error: Cannot reach the registry 127.0.0.1:" + port + " at http://127.0.0.1:" + port);
    }

    @Test
    void helpListsTheOptions() {
        CliRun help = CliRun.of("validate-image", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("IMAGE", "--release-label=LABEL", "--architecture=X86_64|ARM64", "--python=PATH",
                "--package=NAME[==VERSION]", "--package-result=FILE", "--junit=FILE", "--strict", "--json", "--region=REGION",
                "--endpoint-url=URL", "--profile=NAME");
        assertThat(CliRun.of("--help").stdout()).contains("validate-image");
    }

    @Test
    void theProjectChecksOptionsAreCheckedBeforeAnythingIsRead() {
        CliRun run = CliRun.of("validate-image", good, "--project-check", "--engine", "jib", "--engine-env", "DOCKER_HOST");
        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.stderr()).contains("engine: \"jib\" does not run images", "python: the project check runs the project with "
                + "the image's Python", "package-result: the project check needs the package and its conf archive",
                "engine-env: \"DOCKER_HOST\" is not NAME=VALUE").doesNotContain("==> Reading");
        CliRun without = CliRun.of("validate-image", good, "--env", "emr");
        assertThat(without.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(without.stderr()).contains("project-check: --env, --pipeline, --param and the --engine options are the project "
                + "check's, and it was not asked for").doesNotContain("==> Reading");
    }
}
