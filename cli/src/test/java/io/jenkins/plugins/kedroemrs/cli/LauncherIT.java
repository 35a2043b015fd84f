package io.jenkins.plugins.kedroemrs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged CLI as users start it: bin/kedro-emrs over cli/target/kedro-emrs.jar (runs after `package`). */
class LauncherIT {
    static final Path LAUNCHER = Path.of(System.getProperty("kedroemrs.root", "..")).resolve("bin/kedro-emrs").toAbsolutePath();

    @TempDir
    Path tmp;

    private static CommandResult launch(String... args) throws InterruptedException {
        return new ProcessRunner(ProgressListener.NONE).run(Command.of(LAUNCHER.toString()).args(java.util.List.of(args))
                .captureStdout().timeout(Duration.ofMinutes(5)).build());
    }

    @Test
    void theLauncherRunsTheShadedJar() throws Exception {
        CommandResult version = launch("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).startsWith("kedro-emrs 0.1.0");
    }

    @Test
    void theLauncherPackagesAKedroNewProject() throws Exception {
        Path python = TestPython.require();
        Path project = SampleKedroProject.create(tmp);
        CommandResult r = launch("package", "--project-dir", project.toString(), "--python", python.toString());
        assertThat(r.exitCode()).as(String.join("\n", r.outputTail())).isZero();
        assertThat(r.stdout()).startsWith("Packaged greeter 0.1");
        assertThat(project.resolve("dist/conf-greeter.tar.gz")).isRegularFile();
        assertThat(project.resolve("dist/entrypoint_greeter.py")).isRegularFile();
    }
}
