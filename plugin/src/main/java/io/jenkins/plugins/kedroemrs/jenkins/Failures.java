package io.jenkins.plugins.kedroemrs.jenkins;

import hudson.AbortException;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsErrors;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Engine and AWS failures as build failures: an {@link AbortException} with the engine's message (what failed, what
 * was seen, what to change) or the service's error code and message, and no stack trace, as for any bad input. Also
 * what crosses a remoting channel: engine exception classes live in a library jar of the plugin, which the channel's
 * class filter does not admit.
 */
public final class Failures {
    private Failures() {
    }

    public static AbortException abort(EngineException e) {
        return abort(e.getMessage());
    }

    public static AbortException abort(SdkException e) {
        return abort("AWS: " + AwsErrors.describe(e));
    }

    public static AbortException abort(String message) {
        AbortException abort = new AbortException(message);
        abort.setStackTrace(new StackTraceElement[0]);
        return abort;
    }
}
