package io.jenkins.plugins.kedroemrs.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs several input checks and reports every problem they find at once, so a user fixes a command line or a step in
 * one go instead of one error per run. A check that finds nothing wrong returns its value; {@link #done} then throws
 * one {@link InvalidInputException} naming every problem (the same problem found twice is reported once), still before
 * any remote call.
 */
public final class InputChecks {
    private final List<InvalidInputException> problems = new ArrayList<>();
    private final Set<String> seen = new LinkedHashSet<>();

    /** Runs {@code check}; a problem it finds is kept for {@link #done}. */
    public void check(Runnable check) {
        get(() -> {
            check.run();
            return null;
        });
    }

    /** The value {@code check} makes, or {@code null} when it found a problem (kept for {@link #done}). */
    public <T> T get(Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidInputException e) {
            for (InvalidInputException p : e.getProblems()) {
                if (seen.add(p.getMessage())) {
                    problems.add(p);
                }
            }
            return null;
        }
    }

    /** Throws the problems found (one as itself, several as one exception that lists them); nothing when none. */
    public void done() {
        if (problems.size() == 1) {
            throw problems.get(0);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }
}
