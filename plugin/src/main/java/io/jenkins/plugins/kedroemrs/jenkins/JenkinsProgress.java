package io.jenkins.plugins.kedroemrs.jenkins;

import hudson.console.HyperlinkNote;
import hudson.model.TaskListener;
import io.jenkins.plugins.kedroemrs.core.progress.PrintStreamProgress;

/**
 * The engine's progress in a build log: every event is a line prefixed with the step name (the format is the
 * engine's {@link PrintStreamProgress}); links become {@link HyperlinkNote}s, which the classic console, Pipeline
 * Graph View and Blue Ocean show as clickable links.
 *
 * <p>Works on an agent too: the {@link TaskListener} a {@code FileCallable} receives streams back to the build log.
 */
public final class JenkinsProgress extends PrintStreamProgress {

    public JenkinsProgress(TaskListener listener, String step) {
        super(listener.getLogger(), step, true);
    }

    @Override
    protected String renderLink(String label, String url) {
        return HyperlinkNote.encodeTo(url, url);
    }
}
