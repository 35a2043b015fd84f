package io.jenkins.plugins.kedroemrs.jenkins;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import java.io.File;
import java.io.IOException;
import jenkins.MasterToSlaveFileCallable;

/**
 * Engine work in the workspace, where it is (an agent, or the built-in node), with the engine's progress in the build
 * log. The one place that knows what such a call must do around the engine:
 *
 * <ul>
 *   <li>its log lines reach the build log: on an agent a Pipeline step's listener is buffered (workflow-api's
 *       {@code DelayBufferedOutputStream}, flushed on a timer that holds the stream only weakly), so what the call
 *       wrote is lost unless it is flushed before the call returns; it is flushed here, whatever the outcome;</li>
 *   <li>engine failures come back as an {@link hudson.AbortException} with the engine's message and no stack trace
 *       (engine exception classes live in a library jar of the plugin, which the channel's class filter does not
 *       admit);</li>
 *   <li>only JDK and Jenkins core types cross the channel: subclasses keep strings and answer a string (JSON).</li>
 * </ul>
 */
public abstract class AgentWork extends MasterToSlaveFileCallable<String> {
    private static final long serialVersionUID = 1L;

    private final TaskListener listener;
    private final String stepName;

    protected AgentWork(TaskListener listener, String stepName) {
        this.listener = listener;
        this.stepName = stepName;
    }

    /** The work, with the step's progress; answers JSON. */
    protected abstract String run(File workspace, JenkinsProgress progress) throws IOException, InterruptedException;

    @Override
    public final String invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        try {
            return run(workspace, new JenkinsProgress(listener, stepName));
        } catch (EngineException e) {
            throw Failures.abort(e);
        } finally {
            listener.getLogger().flush();
        }
    }
}
