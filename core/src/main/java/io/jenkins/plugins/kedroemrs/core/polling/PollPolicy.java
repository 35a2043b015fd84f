package io.jenkins.plugins.kedroemrs.core.polling;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The project's one polling policy: how long to wait before the next look at something remote (a job run, an
 * application), and when to give up. Immutable; {@link #builder()} / {@link #toBuilder()} change it.
 *
 * <p>The delay grows with the time already waited, not with the number of attempts:
 * {@code delay = clamp(max(initialDelay, growth × elapsed), maxDelay)}, then jittered by ±{@code jitter}, and never
 * past the deadline. So a poll never lags the remote state change by more than about {@code growth} of the run's
 * length (or {@code initialDelay} for short runs) — which bounds the detection delay relative to the run — while the
 * number of calls grows only logarithmically with the run's length until {@code maxDelay} is reached. Because the
 * delay depends only on the elapsed time, a poller resumed after a Jenkins restart (fresh attempt counters, same
 * start time) continues with the same rhythm. {@code scripts/bench polling} compares it with fixed intervals.
 *
 * <p>Jitter spreads the polls of many concurrent waits (e.g. parallel branches), as the SDK's own backoff does; the
 * randomness is passed in, so tests and the benchmark are deterministic.
 */
public final class PollPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * For job runs: first look after 5.1 s, every ~5 s during the first ~2 minutes, then every 4 % of the time waited,
     * at most every 5 minutes, ±5 % jitter; 13 hours at most (the service's default execution timeout is 12 h).
     * Tuned with {@code scripts/bench polling}: the end of a run is seen within max(5 s, 5 % of its length) (p95;
     * for runs of 10 minutes and more even the worst case), with slightly fewer calls than polling every 5 s for
     * short runs and 4 % of them for a 6-hour run. The 5.1 s (not 5 s) keeps short runs under the 5-second
     * policy's call count despite the jitter.
     */
    public static final PollPolicy JOB_RUN = builder().initialDelay(Duration.ofMillis(5100)).growth(0.04)
            .maxDelay(Duration.ofMinutes(5)).jitter(0.05).timeout(Duration.ofHours(13)).build();

    /** For application state changes (start, stop: usually seconds to a few minutes): 2 s growing to 15 s, 15 minutes at most. */
    public static final PollPolicy APPLICATION = builder().initialDelay(Duration.ofSeconds(2)).growth(0.1)
            .maxDelay(Duration.ofSeconds(15)).jitter(0.1).timeout(Duration.ofMinutes(15)).build();

    private final Duration initialDelay;
    private final double growth;
    private final Duration maxDelay;
    private final double jitter;
    private final Duration timeout;

    private PollPolicy(Builder b) {
        this.initialDelay = b.initialDelay;
        this.growth = b.growth;
        this.maxDelay = b.maxDelay;
        this.jitter = b.jitter;
        this.timeout = b.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().initialDelay(initialDelay).growth(growth).maxDelay(maxDelay).jitter(jitter).timeout(timeout);
    }

    /** The first delay, and the smallest delay before jitter. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** Each delay is at least this fraction of the time already waited (0.04 = 4 %). */
    public double growth() {
        return growth;
    }

    /** The largest delay before jitter. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** Each delay is multiplied by a random factor in {@code [1 - jitter, 1 + jitter]}. */
    public double jitter() {
        return jitter;
    }

    /** How long to wait in total, from the start. */
    public Duration timeout() {
        return timeout;
    }

    /** The deadline of a wait that starts at {@code start}. */
    public Instant deadlineFrom(Instant start) {
        return start.plus(timeout);
    }

    /**
     * The delay before the next poll of a wait that started at {@code startedAt}, seen at {@code now}: a pure function
     * of its arguments. Never negative and never past {@code deadline}.
     *
     * @param random a source of uniform numbers in [0, 1), drawn once
     */
    public Duration nextDelay(Instant startedAt, Instant deadline, Instant now, DoubleSupplier random) {
        double elapsedMillis = Math.max(0, Duration.between(startedAt, now).toMillis());
        double base = Math.max(initialDelay.toMillis(), growth * elapsedMillis);
        base = Math.min(base, maxDelay.toMillis());
        double factor = jitter == 0 ? 1 : 1 + jitter * (2 * random.getAsDouble() - 1);
        long millis = Math.max(1, Math.round(base * factor));
        long untilDeadline = Math.max(0, Duration.between(now, deadline).toMillis());
        return Duration.ofMillis(Math.min(millis, untilDeadline));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PollPolicy p && p.initialDelay.equals(initialDelay) && p.growth == growth
                && p.maxDelay.equals(maxDelay) && p.jitter == jitter && p.timeout.equals(timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialDelay, growth, maxDelay, jitter, timeout);
    }

    @Override
    public String toString() {
        return "PollPolicy[initialDelay=" + initialDelay + ", growth=" + growth + ", maxDelay=" + maxDelay + ", jitter="
                + jitter + ", timeout=" + timeout + "]";
    }

    /** Builds a policy; {@link #build()} checks it. Unset values are the {@link #JOB_RUN} ones. */
    public static final class Builder {
        private Duration initialDelay = Duration.ofMillis(5100);
        private double growth = 0.04;
        private Duration maxDelay = Duration.ofMinutes(5);
        private double jitter = 0.05;
        private Duration timeout = Duration.ofHours(13);

        private Builder() {
        }

        public Builder initialDelay(Duration value) {
            this.initialDelay = value;
            return this;
        }

        public Builder growth(double value) {
            this.growth = value;
            return this;
        }

        public Builder maxDelay(Duration value) {
            this.maxDelay = value;
            return this;
        }

        public Builder jitter(double value) {
            this.jitter = value;
            return this;
        }

        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        /** A fixed interval: every {@code interval}, no growth, no jitter (what the benchmark compares with). */
        public Builder fixed(Duration interval) {
            return initialDelay(interval).maxDelay(interval).growth(0).jitter(0);
        }

        public PollPolicy build() {
            positive("initial-delay", initialDelay);
            positive("max-delay", maxDelay);
            positive("timeout", timeout);
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new InvalidInputException("max-delay", "the longest delay (" + maxDelay
                        + ") is shorter than the first one (" + initialDelay + ")", "Make max-delay at least initial-delay");
            }
            if (!(growth >= 0 && growth < 1)) {
                throw new InvalidInputException("growth", "must be in [0, 1), got " + growth,
                        "Use a fraction of the time waited, e.g. 0.05 for 5 %");
            }
            if (!(jitter >= 0 && jitter < 1)) {
                throw new InvalidInputException("jitter", "must be in [0, 1), got " + jitter, "Use e.g. 0.1 for ±10 %");
            }
            return new PollPolicy(this);
        }

        private static void positive(String field, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidInputException(field, "must be a positive duration, got " + d, "Pass a duration above 0");
            }
        }
    }
}
