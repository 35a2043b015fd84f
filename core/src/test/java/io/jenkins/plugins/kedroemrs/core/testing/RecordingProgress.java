package io.jenkins.plugins.kedroemrs.core.testing;

import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import java.util.ArrayList;
import java.util.List;

/** Keeps every progress event as a line ("phase: …", "info: …", "warn: …", "out: …"), for assertions. */
public final class RecordingProgress implements ProgressListener {
    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void phase(String title) {
        events.add("phase: " + title);
    }

    @Override
    public synchronized void info(String message) {
        events.add("info: " + message);
    }

    @Override
    public synchronized void warn(String message) {
        events.add("warn: " + message);
    }

    @Override
    public synchronized void output(String source, String line) {
        events.add("out: " + source + ": " + line);
    }

    @Override
    public synchronized void link(String label, String url) {
        events.add("link: " + label + " " + url);
    }

    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    public synchronized String all() {
        return String.join("\n", events);
    }
}
