package io.jenkins.plugins.kedroemrs.core.progress;

/**
 * The one way the engine reports progress. The CLI prints it to the terminal; the Jenkins plugin writes it to the
 * build log. Implementations must be thread-safe: a child process's stdout and stderr arrive on two threads.
 * Nothing passed here may contain a secret: callers never pass tokens, passwords or keys.
 */
public interface ProgressListener {

    /** A new phase of the current step starts, e.g. "Building the wheel". */
    void phase(String title);

    /** A notable fact: a chosen option, a produced artifact, a remote state change. */
    void info(String message);

    /** Something the user should look at that does not fail the step. */
    void warn(String message);

    /** One line of a child process's output (source names the process, e.g. "uv build"). */
    void output(String source, String line);

    /** A link worth clicking. Jenkins renders it as a hyperlink; the CLI prints label and URL. */
    default void link(String label, String url) {
        info(label + ": " + url);
    }

    /** Drops everything; for callers that only want the result. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void phase(String title) {
        }

        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public void output(String source, String line) {
        }
    };
}
