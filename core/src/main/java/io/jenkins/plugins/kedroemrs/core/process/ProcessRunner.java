package io.jenkins.plugins.kedroemrs.core.process;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link Command}: streams its stdout and stderr line by line to a {@link ProgressListener}, keeps the tail of
 * each for error messages, enforces the time limit, and on interrupt (a Jenkins abort, Ctrl-C) kills the whole process
 * tree before re-throwing, so no build keeps running behind an aborted step.
 */
public final class ProcessRunner {
    /** Lines of stderr (and of all output) kept for failure messages. */
    public static final int TAIL_LINES = 40;
    /** Upper bound of captured stdout, so a chatty process cannot exhaust memory. */
    public static final int MAX_CAPTURE_CHARS = 4 * 1024 * 1024;
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private final ProgressListener listener;
    private final Map<String, String> baseEnvironment;

    public ProcessRunner(ProgressListener listener) {
        this(listener, null);
    }

    /**
     * A runner whose children see {@code baseEnvironment} (plus each command's additions) instead of this JVM's
     * environment: a Jenkins step passes the step's environment ({@code withEnv}, tool installations, {@code withAWS}),
     * which the agent JVM's own environment does not have. {@code null} keeps the JVM's environment.
     */
    public ProcessRunner(ProgressListener listener, Map<String, String> baseEnvironment) {
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.baseEnvironment = baseEnvironment == null ? null : Map.copyOf(baseEnvironment);
    }

    /** The PATH children see, for looking up executables the way they would be found. */
    public String searchPath() {
        return baseEnvironment != null ? baseEnvironment.get("PATH") : System.getenv("PATH");
    }

    /** A variable of the environment children see (the base environment's, or this JVM's), or {@code null}. */
    public String environmentVariable(String name) {
        return baseEnvironment != null ? baseEnvironment.get(name) : System.getenv(name);
    }

    /** Finds an executable on {@link #searchPath()} (a path is taken as is). */
    public Optional<Path> findExecutable(String nameOrPath) {
        return Executables.find(nameOrPath, searchPath());
    }

    public CommandResult run(Command command) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command.args());
        if (command.workingDir() != null) {
            pb.directory(command.workingDir().toFile());
        }
        if (baseEnvironment != null) {
            pb.environment().clear();
            pb.environment().putAll(baseEnvironment);
        }
        pb.environment().putAll(command.environment());
        if (command.stdin() == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        long started = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new EngineException("Could not start `" + command.display() + "`: " + e.getMessage(), e);
        }
        Tail stdoutTail = new Tail();
        Tail stderrTail = new Tail();
        Tail outputTail = new Tail();
        StringBuilder captured = command.captureStdout() ? new StringBuilder() : null;
        Thread out = pump(process.getInputStream(), command.label() + " stdout", line -> {
            outputTail.add(line);
            stdoutTail.add(line);
            if (captured != null) {
                synchronized (captured) {
                    if (captured.length() + line.length() < MAX_CAPTURE_CHARS) {
                        captured.append(line).append('\n');
                    }
                }
            } else if (command.echo()) {
                listener.output(command.label(), line);
            }
        });
        Thread err = pump(process.getErrorStream(), command.label() + " stderr", line -> {
            outputTail.add(line);
            stderrTail.add(line);
            if (command.echo()) {
                listener.output(command.label(), line);
            }
        });
        try {
            writeStdin(process, command);
            boolean finished = process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                killTree(process);
                throw new EngineException("`" + command.display() + "` did not finish within " + human(command.timeout())
                        + " and was stopped. Last output:" + System.lineSeparator() + "    "
                        + String.join(System.lineSeparator() + "    ", outputTail.lines()));
            }
            out.join();
            err.join();
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        String stdout = captured == null ? "" : captured.toString();
        return new CommandResult(command, process.exitValue(), stdout, stderrTail.lines(), outputTail.lines(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static void writeStdin(Process process, Command command) {
        byte[] data = command.stdin();
        if (data == null) {
            return;
        }
        try (OutputStream in = process.getOutputStream()) {
            in.write(data);
        } catch (IOException e) {
            // The child may exit without reading stdin (e.g. a usage error); its exit code and stderr tell why.
            if (process.isAlive()) {
                throw new UncheckedIOException("Could not write to the stdin of " + command.label(), e);
            }
        }
    }

    /** Kills the process and every descendant: SIGTERM first, SIGKILL after a short grace period. */
    static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static Thread pump(InputStream stream, String name, Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // The stream closes when the process is killed; what was read so far is kept.
                sink.accept("[output ended: " + e.getMessage() + "]");
            }
        }, "kedro-emrs " + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 120 ? (s / 60) + " min" : s + " s";
    }

    /** The last {@link #TAIL_LINES} lines, thread-safe. */
    private static final class Tail {
        private final Deque<String> lines = new ArrayDeque<>();

        synchronized void add(String line) {
            if (lines.size() == TAIL_LINES) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }
    }
}
