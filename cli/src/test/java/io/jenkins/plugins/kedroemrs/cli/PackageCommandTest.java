package io.jenkins.plugins.kedroemrs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCommandTest {
    @TempDir
    static Path shared;
    static Path project;
    static Path python;

    @TempDir
    Path tmp;

    @BeforeAll
    static void createProject() throws Exception {
        python = TestPython.require();
        project = SampleKedroProject.create(shared);
    }

    @Test
    void packagesAKedroNewProjectAndPrintsJson() throws Exception {
        CliRun run = CliRun.of("package", "--project-dir", project.toString(), "--python", python.toString(), "--out",
                tmp.toString(), "--json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode json = Json.MAPPER.readTree(run.stdout());
        assertThat(json.path("packageName").asText()).isEqualTo("greeter");
        assertThat(json.path("kedroVersion").asText()).isEqualTo("1.7.0");
        assertThat(json.path("wheel").path("path").asText()).isEqualTo(tmp.resolve("greeter-0.1-py3-none-any.whl").toString());
        assertThat(PackageResult.read(tmp).confArchive().fileName()).isEqualTo("conf-greeter.tar.gz");
        assertThat(run.stderr()).contains("==> Reading the Kedro project", "==> Building the wheel with uv build --wheel",
                "Left out of conf-greeter.tar.gz: conf/local/");
    }

    @Test
    void printsAReadableSummaryWithoutJson() {
        CliRun run = CliRun.of("package", "--project-dir", project.toString(), "--python", python.toString(), "--out",
                tmp.toString(), "--wheel-builder", "build");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("Packaged greeter 0.1 (Kedro 1.7.0, wheel built with build) in ")
                .contains("  wheel       " + tmp.resolve("greeter-0.1-py3-none-any.whl"))
                .contains("  conf        " + tmp.resolve("conf-greeter.tar.gz"))
                .contains("  entrypoint  " + tmp.resolve("entrypoint_greeter.py"))
                .contains("  result      " + tmp.resolve(PackageResult.FILE_NAME));
    }

    @Test
    void badInputExitsWithTwoAndNamesTheField() throws Exception {
        CliRun notKedro = CliRun.of("package", "--project-dir", tmp.toString(), "--python", python.toString());
        assertThat(notKedro.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(notKedro.stderr()).contains("error: project-dir: " + tmp + " is not a Kedro project");
        assertThat(notKedro.stdout()).isEmpty();

        CliRun noPython = CliRun.of("package", "--project-dir", project.toString(), "--python", "/nope/python");
        assertThat(noPython.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(noPython.stderr()).contains("error: python: no executable Python interpreter at /nope/python");

        CliRun builder = CliRun.of("package", "--project-dir", project.toString(), "--wheel-builder", "poetry");
        assertThat(builder.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(builder.stderr()).contains("error: wheel-builder: unknown wheel builder \"poetry\". Use one of auto, uv, build, kedro");

        CliRun unknown = CliRun.of("package", "--frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(unknown.stderr()).contains("Unknown option: '--frobnicate'");

        CliRun timeout = CliRun.of("package", "--project-dir", project.toString(), "--timeout", "0");
        assertThat(timeout.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(timeout.stderr()).contains("error: timeout: must be a positive number, got 0");
    }

    @Test
    void aFailedBuildExitsWithOne() throws Exception {
        Path broken = SampleKedroProject.copy(project, tmp.resolve("broken"));
        Path pyproject = broken.resolve("pyproject.toml");
        Files.writeString(pyproject, Files.readString(pyproject).replace("\"setuptools.build_meta\"", "\"missing_backend_99\""));
        CliRun run = CliRun.of("package", "--project-dir", broken.toString(), "--python", python.toString(), "--wheel-builder",
                "build");
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        assertThat(run.stderr()).contains("error: Building the wheel of greeter failed").contains("missing_backend_99");
    }

    @Test
    void helpAndVersionExitZero() {
        CliRun help = CliRun.of("package", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("--project-dir=DIR", "--conf-exclude=GLOB", "--include-conf-local", "--json");
        assertThat(CliRun.of("--version").stdout()).startsWith("kedro-emrs ");
    }
}
