package io.jenkins.plugins.kedroemrs.core.process;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import java.time.Duration;
import java.util.List;

/** What a finished child process left: its exit code, captured stdout (when asked for) and the tail of its stderr. */
public record CommandResult(Command command, int exitCode, String stdout, List<String> stderrTail, List<String> outputTail,
        Duration duration) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * Returns this result when the process exited 0, else throws an {@link EngineException} that says what failed and
     * shows the tail of stderr (or of all output when stderr was empty).
     */
    public CommandResult orThrow(String what) {
        if (succeeded()) {
            return this;
        }
        throw new EngineException(failureMessage(what));
    }

    public String failureMessage(String what) {
        List<String> tail = stderrTail.isEmpty() ? outputTail : stderrTail;
        StringBuilder sb = new StringBuilder();
        sb.append(what).append(" failed: `").append(command.display()).append("` exited with code ").append(exitCode);
        if (tail.isEmpty()) {
            sb.append(" and printed nothing");
        } else {
            sb.append(". Last ").append(tail.size()).append(tail.size() == 1 ? " line" : " lines")
                    .append(stderrTail.isEmpty() ? " of its output:" : " of its stderr:");
            for (String line : tail) {
                sb.append(System.lineSeparator()).append("    ").append(line);
            }
        }
        return sb.toString();
    }
}
