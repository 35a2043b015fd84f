package io.jenkins.plugins.kedroemrs.jenkins;

import hudson.console.HyperlinkNote;
import hudson.model.TaskListener;
import io.jenkins.plugins.kedroemrs.core.progress.PrintStreamProgress;
import jenkins.model.Jenkins;

/**
 * The engine's progress in a build log: every event is a line prefixed with the step name (the format is the
 * engine's {@link PrintStreamProgress}); links become {@link HyperlinkNote}s, which the classic console, Pipeline
 * Graph View and Blue Ocean show as clickable links.
 *
 * <p>Works on an agent too: the {@link TaskListener} a {@code FileCallable} receives streams back to the build log.
 * There a link is printed as its bare URL: a console note must be signed with the controller's key (core's
 * {@code ConsoleNote}), which an agent does not have, and the controller drops unsigned notes; the console and Blue
 * Ocean still turn a bare URL into a link.
 */
public final class JenkinsProgress extends PrintStreamProgress {

    public JenkinsProgress(TaskListener listener, String step) {
        super(listener.getLogger(), step, true);
    }

    @Override
    protected String renderLink(String label, String url) {
        return onController() ? HyperlinkNote.encodeTo(url, url) : url;
    }

    /** Whether this JVM is the controller (the built-in node's work runs there too), where notes can be signed. */
    static boolean onController() {
        return Jenkins.getInstanceOrNull() != null;
    }
}
