package io.jenkins.plugins.kedroemrs.core.polling;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long the last successful runs of the same job took, newest first: what lets a wait know roughly when the run it
 * watches will end ({@link PollPolicy#scheduleFor}). Small and serializable (at most {@value #MAX_RUNS} durations and
 * a name), so it is persisted with the wait ({@link PollState#history()}) and a wait resumed after a restart keeps
 * the same rhythm.
 *
 * @param name      what the runs were called (the job run name), for log lines; may be {@code null}
 * @param durations each run's length from its submission to its end, newest first; at most {@value #MAX_RUNS}
 */
public record RunHistory(String name, List<Duration> durations) implements Serializable {
    /** How many earlier runs are kept. */
    public static final int MAX_RUNS = 10;
    /** Fewer earlier runs than this say too little about the spread: the wait polls as if there were none. */
    public static final int MIN_RUNS = 3;

    public RunHistory {
        if (durations == null) {
            throw new InvalidInputException("history", "has no run durations (null)", "Pass a list, empty when no run is known");
        }
        if (durations.size() > MAX_RUNS) {
            throw new InvalidInputException("history", "has " + durations.size() + " run durations, more than " + MAX_RUNS,
                    "Keep the newest " + MAX_RUNS + " (RunHistory.of does)");
        }
        for (Duration d : durations) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidInputException("history", "has a run duration that is not positive: " + d,
                        "Pass the time from each run's submission to its end, above 0");
            }
        }
        durations = List.copyOf(durations);
    }

    /** The newest {@value #MAX_RUNS} of {@code newestFirst}. */
    public static RunHistory of(String name, List<Duration> newestFirst) {
        return new RunHistory(name, newestFirst.size() > MAX_RUNS ? newestFirst.subList(0, MAX_RUNS) : newestFirst);
    }

    /** Whether there are enough runs ({@value #MIN_RUNS}) to plan a wait around them. */
    public boolean usable() {
        return durations.size() >= MIN_RUNS;
    }

    public int count() {
        return durations.size();
    }

    public Duration shortest() {
        return sorted().get(0);
    }

    public Duration longest() {
        return sorted().get(durations.size() - 1);
    }

    /** The median run (the lower middle one of an even count, in milliseconds the mean of the two). */
    public Duration median() {
        List<Duration> s = sorted();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : Duration.ofMillis((s.get(n / 2 - 1).toMillis() + s.get(n / 2).toMillis()) / 2);
    }

    private List<Duration> sorted() {
        if (durations.isEmpty()) {
            throw new IllegalStateException("no earlier runs");
        }
        List<Duration> s = new ArrayList<>(durations);
        s.sort(null);
        return s;
    }

    /** {@code ~4 min 10 s from 10 earlier runs of 'kedro-demo'}, for log lines. */
    public String describe() {
        return "~" + Poller.human(median()) + " from " + count() + " earlier " + (count() == 1 ? "run" : "runs")
                + (name != null ? " of '" + name + "'" : "") + " (" + Poller.human(shortest()) + " to "
                + Poller.human(longest()) + ")";
    }
}
