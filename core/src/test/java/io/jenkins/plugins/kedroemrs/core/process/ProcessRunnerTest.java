package io.jenkins.plugins.kedroemrs.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.testing.RecordingProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
    @TempDir
    Path dir;

    final RecordingProgress progress = new RecordingProgress();
    final ProcessRunner runner = new ProcessRunner(progress);

    @Test
    void streamsBothStreamsAndKeepsTheStderrTail() throws InterruptedException {
        CommandResult r = runner.run(Command.of("sh", "-c", "echo out1; echo err1 >&2; for i in $(seq 1 60); do echo e$i >&2; done; exit 3")
                .label("demo").build());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(progress.events()).contains("out: demo: out1", "out: demo: err1", "out: demo: e60");
        assertThat(r.stderrTail()).hasSize(ProcessRunner.TAIL_LINES).endsWith("e60").doesNotContain("err1");
        assertThatThrownBy(() -> r.orThrow("The demo")).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("The demo failed: `sh -c")
                .hasMessageContaining("exited with code 3. Last 40 lines of its stderr:")
                .hasMessageEndingWith("    e60");
    }

    @Test
    void capturesStdoutWithoutEchoingIt() throws InterruptedException {
        CommandResult r = runner.run(Command.of("sh", "-c", "echo '{\"a\": 1}'").captureStdout().build());
        assertThat(r.stdout()).isEqualTo("{\"a\": 1}\n");
        assertThat(progress.events()).isEmpty();
    }

    @Test
    void secretsGoThroughStdinNotTheCommandLine() throws InterruptedException {
        Command c = Command.of("sh", "-c", "read -r pw; [ \"$pw\" = \"$EXPECTED\" ] && echo ok")
                .env("EXPECTED", "s3cr3t").stdin("s3cr3t\n".getBytes(StandardCharsets.UTF_8)).captureStdout().build();
        assertThat(c.display()).doesNotContain("s3cr3t");
        assertThat(runner.run(c).stdout()).isEqualTo("ok\n");
    }

    @Test
    void aProcessThatRunsTooLongIsKilled() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> runner.run(Command.of("sh", "-c", "echo started; exec sleep 30").timeout(Duration.ofMillis(500)).build()))
                .isInstanceOf(EngineException.class).hasMessageContaining("did not finish within 0 s and was stopped")
                .hasMessageContaining("started");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void anInterruptKillsTheWholeProcessTree() throws Exception {
        Path pidFile = dir.resolve("grandchild.pid");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                runner.run(Command.of("sh", "-c", "sleep 300 & echo $! > " + pidFile + "; wait").build());
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        for (int i = 0; i < 200 && !(Files.exists(pidFile) && Files.size(pidFile) > 0); i++) {
            Thread.sleep(50);
        }
        long grandchild = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(running(grandchild)).isTrue();
        t.interrupt();
        t.join(20_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        Thread.sleep(200);
        assertThat(running(grandchild)).isFalse();
    }

    /** Alive and not a zombie (in a container whose PID 1 does not reap, a killed orphan stays a zombie). */
    private static boolean running(long pid) throws java.io.IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    }

    @Test
    void aMissingExecutableIsOneClearError() {
        assertThatThrownBy(() -> runner.run(Command.of("/no/such/tool", "x").build())).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("Could not start `/no/such/tool x`");
    }

    @Test
    void displayQuotesWhatAShellWouldSplit() {
        assertThat(Command.of("echo", "a b", "it's", "plain").build().display()).isEqualTo("echo 'a b' 'it'\\''s' plain");
    }

    @Test
    void findsExecutablesOnThePath() throws Exception {
        Path tool = Files.writeString(dir.resolve("mytool"), "#!/bin/sh\n");
        tool.toFile().setExecutable(true);
        assertThat(Executables.find("mytool", dir.toString())).contains(tool);
        assertThat(Executables.find("mytool", "/nonexistent")).isEmpty();
        assertThat(Executables.find(tool.toString())).contains(tool);
        assertThat(Executables.find("")).isEmpty();
    }

    @Test
    void aBaseEnvironmentReplacesTheJvmEnvironmentAndItsPathFindsExecutables() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = bin.resolve("only-here");
        Files.writeString(tool, "#!/bin/sh\necho \"tool sees $GREETING and ${HOME:-no home}\"\n");
        tool.toFile().setExecutable(true);
        java.util.Map<String, String> env = java.util.Map.of("PATH", bin + ":/usr/bin:/bin", "GREETING", "hello");
        ProcessRunner scoped = new ProcessRunner(progress, env);
        assertThat(scoped.searchPath()).startsWith(bin.toString());
        assertThat(scoped.findExecutable("only-here")).contains(tool);
        assertThat(runner.findExecutable("only-here")).isEmpty();
        CommandResult r = scoped.run(Command.of(scoped.findExecutable("only-here").orElseThrow().toString()).captureStdout().build());
        assertThat(r.stdout()).isEqualTo("tool sees hello and no home\n");
    }
}
