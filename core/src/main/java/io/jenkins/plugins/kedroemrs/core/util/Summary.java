package io.jenkins.plugins.kedroemrs.core.util;

import java.util.ArrayList;
import java.util.List;

/**
 * A step's one-line argument summary, as the stage view and Blue Ocean show it: what the step works on, then the
 * options that differ from their defaults in parentheses, e.g. {@code spaceflights (uv, with conf/local)}.
 */
public final class Summary {
    private final StringBuilder head;
    private final List<String> extras = new ArrayList<>();

    private Summary(String head) {
        this.head = new StringBuilder(head);
    }

    /** Starts with {@code subject}, or {@code whenBlank} when there is none. */
    public static Summary of(String subject, String whenBlank) {
        return new Summary(subject == null || subject.isBlank() ? whenBlank : subject.strip());
    }

    /** Appends {@code prefix + value} to the subject when there is a value (e.g. {@code " onto " + image}). */
    public Summary then(String prefix, String value) {
        if (value != null && !value.isBlank()) {
            head.append(prefix).append(value.strip());
        }
        return this;
    }

    /** An option in the parentheses, when it is set. */
    public Summary option(String value) {
        if (value != null && !value.isBlank()) {
            extras.add(value.strip());
        }
        return this;
    }

    /** An option in the parentheses, when {@code when}. */
    public Summary option(boolean when, String text) {
        return when ? option(text) : this;
    }

    @Override
    public String toString() {
        return extras.isEmpty() ? head.toString() : head + " (" + String.join(", ", extras) + ")";
    }
}
