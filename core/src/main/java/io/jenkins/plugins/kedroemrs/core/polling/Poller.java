package io.jenkins.plugins.kedroemrs.core.polling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One wait's rules: a {@link PollPolicy} for the rhythm and {@link Acceptor}s for the meaning of each answer.
 * {@link #poll} makes one remote call and decides; {@link #decide} is the decision alone, a pure function of the
 * persisted {@link PollState}, the answer and the time. Nothing here sleeps or holds a thread: the caller schedules
 * the next poll (the Jenkins plugin on its timer, the CLI with {@link PollLoop}).
 *
 * @param <T> the response type
 */
public final class Poller<T> {
    /** The jitter's randomness outside tests. */
    public static final DoubleSupplier RANDOM = () -> ThreadLocalRandom.current().nextDouble();

    private final PollPolicy policy;
    private final List<Acceptor<T>> acceptors;
    private final Function<? super T, String> describe;
    private final DoubleSupplier random;

    /**
     * @param policy    the rhythm and the default deadline
     * @param acceptors consulted in order; the first match decides
     * @param describe  the remote state a response shows (e.g. the job run state), for change detection and messages
     * @param random    uniform numbers in [0, 1) for the jitter
     */
    public Poller(PollPolicy policy, List<Acceptor<T>> acceptors, Function<? super T, String> describe, DoubleSupplier random) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.acceptors = List.copyOf(acceptors);
        this.describe = Objects.requireNonNull(describe, "describe");
        this.random = Objects.requireNonNull(random, "random");
    }

    public PollPolicy policy() {
        return policy;
    }

    /** Begins a wait at {@code now} with the policy's timeout: the first poll is due after the initial delay. */
    public PollOutcome<T> start(Instant now) {
        return start(now, policy.deadlineFrom(now));
    }

    /** Begins a wait at {@code now} that gives up at {@code deadline}. */
    public PollOutcome<T> start(Instant now, Instant deadline) {
        return start(now, deadline, null);
    }

    /**
     * Begins a wait at {@code now} that gives up at {@code deadline} and follows {@code history} (how long the same
     * job's earlier runs took, or {@code null}); the history is kept in the state, so every later poll follows it.
     */
    public PollOutcome<T> start(Instant now, Instant deadline, RunHistory history) {
        Duration delay = policy.nextDelay(now, deadline, now, history, random);
        PollState state = new PollState(now, deadline, 0, null, now.plus(delay), history);
        return new PollOutcome<>(PollOutcome.Status.WAIT, state, delay, null, null, null, false);
    }

    /** Makes one call and decides. Runtime exceptions from the probe are answers too (see {@link Acceptor}). */
    public PollOutcome<T> poll(PollState state, Instant now, Supplier<? extends T> probe) {
        T response;
        try {
            response = probe.get();
        } catch (RuntimeException e) {
            return decide(state, now, null, e);
        }
        return decide(state, now, response, null);
    }

    /**
     * The decision for one answer ({@code response}, or {@code error} when the call threw): a pure function of its
     * arguments and the random draw for the jitter.
     */
    public PollOutcome<T> decide(PollState state, Instant now, T response, Throwable error) {
        Verdict verdict = null;
        String message = null;
        for (Acceptor<T> a : acceptors) {
            if (error != null ? a.matches(error) : a.matches(response)) {
                verdict = a.verdict();
                message = error != null ? describe(error) : a.message(response);
                break;
            }
        }
        if (verdict == null) {
            verdict = error != null ? Verdict.FAILURE : Verdict.RETRY;
            message = error != null ? describe(error) : null;
        }
        String observed = error != null ? state.observed() : describe.apply(response);
        boolean changed = error == null && observed != null && !observed.equals(state.observed());
        PollState polled = new PollState(state.startedAt(), state.deadline(), state.attempt() + 1, observed, now,
                state.history());
        return switch (verdict) {
            case SUCCESS -> new PollOutcome<>(PollOutcome.Status.SUCCESS, polled, Duration.ZERO, response, null, message, changed);
            case FAILURE -> new PollOutcome<>(PollOutcome.Status.FAILURE, polled, Duration.ZERO, response, error, message, changed);
            case RETRY -> {
                if (!now.isBefore(state.deadline())) {
                    String why = "gave up after " + human(Duration.between(state.startedAt(), now)) + " and "
                            + polled.attempt() + " polls" + (observed != null ? ", still " + observed : "")
                            + (message != null ? " (last poll: " + message + ")" : "");
                    yield new PollOutcome<>(PollOutcome.Status.TIMED_OUT, polled, Duration.ZERO, response, error, why, changed);
                }
                Duration delay = policy.nextDelay(state.startedAt(), state.deadline(), now, state.history(), random);
                PollState next = new PollState(state.startedAt(), state.deadline(), polled.attempt(), observed, now.plus(delay),
                        state.history());
                yield new PollOutcome<>(PollOutcome.Status.WAIT, next, delay, response, error, message, changed);
            }
        };
    }

    private static String describe(Throwable error) {
        String m = error.getMessage();
        return error.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** A duration as people read it: {@code 45 s}, {@code 3 min 20 s}, {@code 2 h 5 min}. */
    public static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 != 0 ? " " + (s % 60) + " s" : "");
        }
        return (s / 3600) + " h" + ((s % 3600) / 60 != 0 ? " " + ((s % 3600) / 60) + " min" : "");
    }
}
