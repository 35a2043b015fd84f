package io.jenkins.plugins.kedroemrs.core;

/**
 * A step failed for a reason outside the user's input: a build that broke, a remote call that failed, a timeout.
 * The message is written for the build log: what failed, and what was seen (for a child process, the tail of its stderr).
 */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
