package io.jenkins.plugins.kedroemrs.core.testing;

import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The Python environment made by scripts/setup-python (.venv with Kedro, build, uv, moto), passed as -Dkedroemrs.python. */
public final class TestPython {
    private static volatile Boolean usable;

    private TestPython() {
    }

    public static Path path() {
        String configured = System.getProperty("kedroemrs.python");
        return Path.of(configured != null ? configured : ".venv/bin/python").toAbsolutePath();
    }

    /** The interpreter, after checking that it runs and has Kedro; skips (or fails under CI) otherwise. */
    public static Path require() {
        Path python = path();
        Peers.require(usable(python), "Python with Kedro at " + python, "run scripts/setup-python");
        return python;
    }

    /** A tool installed next to the interpreter, e.g. uv or moto_server. */
    public static Path tool(String name) {
        return require().getParent().resolve(name);
    }

    private static boolean usable(Path python) {
        if (usable == null) {
            synchronized (TestPython.class) {
                if (usable == null) {
                    usable = Files.isExecutable(python) && probe(python);
                }
            }
        }
        return usable;
    }

    private static boolean probe(Path python) {
        try {
            return new ProcessRunner(ProgressListener.NONE).run(Command.of(python.toString(), "-c",
                    "import importlib.metadata as m; m.version('kedro'); m.version('build')").timeout(Duration.ofMinutes(1))
                    .build()).succeeded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
