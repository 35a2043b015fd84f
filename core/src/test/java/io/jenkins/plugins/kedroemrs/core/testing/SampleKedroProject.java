package io.jenkins.plugins.kedroemrs.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A project made by the real {@code kedro new} (telemetry off), plus a tiny pipeline {@code greet} that writes
 * "hello &lt;params:name&gt;&lt;params:suffix&gt;" to {@code ${runtime_params:out_dir}/greeting.txt} through a dataset
 * class of the project's own, an {@code emr} environment that overrides {@code name}, and a fake
 * {@code conf/local/credentials.yml} that must never leave the machine.
 */
public final class SampleKedroProject {
    public static final String NAME = "greeter";
    public static final String PACKAGE = "greeter";
    /** The fake secret in conf/local/credentials.yml; no artifact may contain it. */
    public static final String LOCAL_SECRET = "local-only-not-a-real-secret-7f3a";

    private SampleKedroProject() {
    }

    /** Creates the project under {@code parent} and returns its root. */
    public static Path create(Path parent) throws IOException, InterruptedException {
        Path python = TestPython.require();
        CommandResult r = new ProcessRunner(ProgressListener.NONE).run(Command.of(python.toString(), "-m", "kedro", "new",
                "--name", NAME, "--tools", "none", "--example", "n", "--telemetry", "no")
                .workingDir(parent).env("KEDRO_DISABLE_TELEMETRY", "1").timeout(Duration.ofMinutes(2)).build());
        r.orThrow("kedro new");
        Path root = parent.resolve(NAME);
        assertThat(root.resolve("pyproject.toml")).isRegularFile();
        Path pkg = root.resolve("src").resolve(PACKAGE);
        Files.writeString(pkg.resolve("datasets.py"), """
                from pathlib import Path

                from kedro.io import AbstractDataset


                class TextFile(AbstractDataset):
                    def __init__(self, filepath):
                        self._path = Path(filepath)

                    def load(self):
                        return self._path.read_text()

                    def save(self, data):
                        self._path.parent.mkdir(parents=True, exist_ok=True)
                        self._path.write_text(data)

                    def _describe(self):
                        return {"filepath": str(self._path)}
                """);
        Path greet = Files.createDirectories(pkg.resolve("pipelines").resolve("greet"));
        Files.writeString(greet.resolve("__init__.py"), """
                from kedro.pipeline import Pipeline, node


                def greet(name, suffix):
                    return f"hello {name}{suffix}"


                def create_pipeline(**kwargs):
                    return Pipeline([node(greet, ["params:name", "params:suffix"], "greeting", name="greet")])
                """);
        Files.writeString(root.resolve("conf/base/parameters.yml"), "name: base\nsuffix: \"!\"\n");
        Files.writeString(root.resolve("conf/base/catalog.yml"),
                "greeting:\n  type: " + PACKAGE + ".datasets.TextFile\n  filepath: ${runtime_params:out_dir}/greeting.txt\n");
        Files.createDirectories(root.resolve("conf/emr"));
        Files.writeString(root.resolve("conf/emr/parameters.yml"), "name: emr\n");
        Files.writeString(root.resolve("conf/local/credentials.yml"), "dev_s3:\n  secret: " + LOCAL_SECRET + "\n");
        // The template also depends on jupyter and ipython; an EMR job needs neither, and they would slow every install.
        Path pyproject = root.resolve("pyproject.toml");
        List<String> lines = Files.readAllLines(pyproject).stream()
                .filter(l -> !l.matches("\\s*\"(ipython|jupyterlab|notebook)[^\"]*\",?\\s*")).toList();
        Files.write(pyproject, lines);
        return root;
    }

    /** A copy of a project (for tests that change it). */
    public static Path copy(Path project, Path target) throws IOException {
        try (Stream<Path> s = Files.walk(project)) {
            for (Path p : s.toList()) {
                Path rel = project.relativize(p);
                if (rel.startsWith("dist") || rel.startsWith("build")) {
                    continue;
                }
                Path dest = target.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }
}
