package io.jenkins.plugins.kedroemrs.core.kedro;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.core.util.Resources;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The project's Python, as one quick probe saw it: its version, the Kedro it has (if any) and whether it can run
 * {@code python -m build}.
 *
 * @param path         the interpreter that was asked for, resolved (a venv's python stays the venv's, not its target)
 * @param version      e.g. {@code 3.11.7}
 * @param kedroVersion the installed Kedro distribution's version, or {@code null}
 * @param hasBuild     whether the {@code build} module is importable
 */
public record PythonInterpreter(Path path, String version, String kedroVersion, boolean hasBuild) {

    static final String FIELD = "python";

    public static PythonInterpreter probe(String python, ProcessRunner runner) throws InterruptedException {
        String asked = python == null || python.isBlank() ? "python3" : python.trim();
        Path exe = runner.findExecutable(asked).orElseThrow(() -> new InvalidInputException(FIELD,
                asked.contains("/") ? "no executable Python interpreter at " + asked
                        : "`" + asked + "` is not on PATH",
                "Pass the interpreter of the project's environment, e.g. --python .venv/bin/python"));
        CommandResult r = runner.run(Command.of(exe.toString(), "-c", Resources.text(PythonInterpreter.class, "python-probe.py"))
                .label("python probe").captureStdout().timeout(Duration.ofMinutes(1)).build());
        if (!r.succeeded()) {
            throw new InvalidInputException(FIELD, exe + " did not run as a Python 3 interpreter ("
                    + String.join(" ", r.outputTail()).trim() + ")", "Pass a working Python 3 interpreter");
        }
        try {
            JsonNode n = Json.MAPPER.readTree(lastLine(r.stdout()));
            String kedro = n.path("kedro").isTextual() ? n.path("kedro").asText() : null;
            return new PythonInterpreter(exe, n.path("version").asText(), kedro, n.path("build").asBoolean());
        } catch (JsonProcessingException e) {
            throw new EngineException("Could not read what " + exe + " reported about itself: " + r.stdout(), e);
        }
    }

    private static String lastLine(String s) {
        String t = s.strip();
        int nl = t.lastIndexOf('\n');
        return nl < 0 ? t : t.substring(nl + 1);
    }
}
