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
 * <p>A wait that knows how long the same job's last successful runs took ({@link RunHistory}, persisted in the
 * {@link PollState}) looks sparsely until shortly before the earliest expected end, densely through the expected
 * window, and with the rhythm above (measured from the start) once the run outlives its history; see
 * {@link #scheduleFor}. Without history (or with fewer than {@value RunHistory#MIN_RUNS} runs) nothing changes.
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

    /**
     * Before the window a history expects the end in, each look waits 85 % of the time waited so far (after the first
     * {@value #LOOKS_BEFORE_SPARSE} looks): a run that ends long before its history is seen within 85 % of its
     * length. Tuned with {@code scripts/bench polling}: 0.5 and 0.75 leave the 6-hour window too few calls for its
     * 60-s goal (a run that outlives its history must not cost more than today's rhythm), 1.0 only costs early ends
     * more delay.
     */
    static final double SPARSE_GROWTH = 0.85;
    /** The sparse looks begin after this many at the initial delay (15.3 s for job runs): a run rejected at once is seen soon. */
    static final int LOOKS_BEFORE_SPARSE = 3;
    /** The dense delay in seconds per square root of the median run in seconds (see {@link #scheduleFor}). */
    static final double DENSE_PER_ROOT_SECOND = 0.365;
    /** The window's margin beyond the shortest and longest earlier runs, in mean gaps between two of them. */
    static final double MARGIN_GAPS = 1.5;

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
        return nextDelay(startedAt, deadline, now, null, random);
    }

    /**
     * As {@link #nextDelay(Instant, Instant, Instant, DoubleSupplier)}, for a wait that knows how long the same job's
     * earlier runs took ({@code history}; {@code null}, or fewer than {@value RunHistory#MIN_RUNS} runs: the rhythm
     * without history). With a history the delay follows {@link #scheduleFor(RunHistory)}: sparse looks until shortly
     * before the earliest expected end, a look every {@link Schedule#denseEvery()} through the expected window, then
     * this policy's own rhythm measured from the start. Still a pure function of its arguments.
     */
    public Duration nextDelay(Instant startedAt, Instant deadline, Instant now, RunHistory history, DoubleSupplier random) {
        double elapsed = Math.max(0, Duration.between(startedAt, now).toMillis());
        double factor = jitter == 0 ? 1 : 1 + jitter * (2 * random.getAsDouble() - 1);
        Schedule plan = scheduleFor(history);
        double millis;
        if (plan == null || elapsed >= plan.denseUntil().toMillis()) {
            millis = base(elapsed) * factor;
        } else if (elapsed >= plan.sparseUntil().toMillis() - plan.denseEvery().toMillis()) {
            millis = plan.denseEvery().toMillis() * factor;
        } else {
            // Sparse: each look waits SPARSE_GROWTH of the time waited so far, the last one where the window opens (a
            // look less than one dense delay before it already counts as dense).
            millis = Math.min(Math.max(initialDelay.toMillis(), SPARSE_GROWTH * (elapsed - sparseAfter())) * factor,
                    plan.sparseUntil().toMillis() - elapsed);
        }
        long untilDeadline = Math.max(0, Duration.between(now, deadline).toMillis());
        return Duration.ofMillis(Math.min(Math.max(1, Math.round(millis)), untilDeadline));
    }

    /** This policy's own delay (before jitter) after {@code elapsedMillis}: the rhythm without history. */
    private double base(double elapsedMillis) {
        return Math.min(Math.max(initialDelay.toMillis(), growth * elapsedMillis), maxDelay.toMillis());
    }

    /**
     * When a wait with this history looks, measured from the start of the wait: sparsely until {@code sparseUntil},
     * every {@code denseEvery} until {@code denseUntil}, then with the policy's own rhythm.
     *
     * @param expected    the median of the earlier runs
     * @param sparseUntil the shortest earlier run less a margin: where the dense looks begin
     * @param denseUntil  the longest earlier run plus the margin: where the run has outlived its history
     * @param denseEvery  the delay between two looks in between
     */
    public record Schedule(Duration expected, Duration sparseUntil, Duration denseUntil, Duration denseEvery) implements Serializable {
    }

    /**
     * The plan for a wait whose job's earlier runs took {@code history}, or {@code null} without a usable history (the
     * policy's rhythm alone). The window of dense looks is [shortest − margin, longest + margin], the margin being
     * {@value #MARGIN_GAPS} × the mean gap between two of the earlier runs (at least one dense delay): a run of the same
     * job ends beyond the earlier ones about as often as between two of them. The dense delay is
     * {@value #DENSE_PER_ROOT_SECOND} × √(median in seconds) s (the square root balances calls against delay over a
     * window that widens with the run: 9 s for 10 min, 22 s for 1 h, 54 s for 6 h), at least the initial delay; and
     * wider when the looks up to the window's end would outnumber this policy's own there, so that a run that
     * outlives its history never costs more calls than the rhythm without history.
     */
    public Schedule scheduleFor(RunHistory history) {
        if (history == null || !history.usable()) {
            return null;
        }
        double lo = history.shortest().toMillis();
        double hi = history.longest().toMillis();
        double median = history.median().toMillis();
        double dense = Math.max(initialDelay.toMillis(), DENSE_PER_ROOT_SECOND * Math.sqrt(median / 1000) * 1000);
        double margin = Math.max(dense, MARGIN_GAPS * (hi - lo) / (history.count() - 1));
        double from = Math.max(0, lo - margin);
        double to = hi + margin;
        double room = looksOfBase(to) - looksSparse(from) - 1; // one look to spare for the jitter and the rounding
        if ((to - from) / dense > room) {
            dense = (to - from) / Math.max(1, room);
        }
        return new Schedule(Duration.ofMillis(Math.round(median)), Duration.ofMillis(Math.round(from)),
                Duration.ofMillis(Math.round(to)), Duration.ofMillis(Math.round(dense)));
    }

    /** About how many looks this policy's own rhythm makes in the first {@code millis} (without jitter). */
    private double looksOfBase(double millis) {
        double a = initialDelay.toMillis();
        double cap = maxDelay.toMillis();
        if (growth == 0 || millis <= a / growth) {
            return millis / a;
        }
        double looks = 1 / growth;
        double growthEnd = cap / growth;
        if (millis <= growthEnd) {
            return looks + Math.log(millis * growth / a) / Math.log(1 + growth);
        }
        return looks + Math.log(cap / a) / Math.log(1 + growth) + (millis - growthEnd) / cap;
    }

    /** When the sparse looks begin: after the first {@value #LOOKS_BEFORE_SPARSE} at the initial delay. */
    private double sparseAfter() {
        return LOOKS_BEFORE_SPARSE * (double) initialDelay.toMillis();
    }

    /** About how many sparse looks come before {@code millis}, plus the one there. */
    private double looksSparse(double millis) {
        double a = initialDelay.toMillis();
        double steady = sparseAfter() + a / SPARSE_GROWTH; // until here every look waits the initial delay
        if (millis <= steady) {
            return millis / a + 1;
        }
        // then t grows by SPARSE_GROWTH × (t − the start of the sparse looks) per look
        return steady / a + Math.log((millis - sparseAfter()) / (steady - sparseAfter()))
                / Math.log(1 + SPARSE_GROWTH) + 1;
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
