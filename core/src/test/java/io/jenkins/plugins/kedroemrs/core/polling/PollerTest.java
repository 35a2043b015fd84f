package io.jenkins.plugins.kedroemrs.core.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PollerTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final PollPolicy POLICY = PollPolicy.builder().initialDelay(Duration.ofSeconds(5)).growth(0.05)
            .maxDelay(Duration.ofMinutes(1)).jitter(0).timeout(Duration.ofMinutes(10)).build();

    static class Transient extends RuntimeException {
        Transient(String m) {
            super(m);
        }
    }

    final Poller<String> poller = new Poller<>(POLICY, List.of(
            Acceptor.successOn("DONE"::equals),
            Acceptor.failureOn("BROKEN"::equals, s -> "it broke"),
            Acceptor.retryOnException(e -> e instanceof Transient)), Function.identity(), () -> 0.5);

    @Test
    void startSchedulesTheFirstPollAfterTheInitialDelay() {
        PollOutcome<String> start = poller.start(T0);
        assertThat(start.status()).isEqualTo(PollOutcome.Status.WAIT);
        assertThat(start.delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(start.state()).isEqualTo(new PollState(T0, T0.plus(Duration.ofMinutes(10)), 0, null, T0.plusSeconds(5)));
    }

    @Test
    void acceptorsDecideInOrderAndUnmatchedResponsesRetry() {
        PollState s = poller.start(T0).state();
        PollOutcome<String> running = poller.decide(s, T0.plusSeconds(5), "RUNNING", null);
        assertThat(running.status()).isEqualTo(PollOutcome.Status.WAIT);
        assertThat(running.changed()).isTrue();
        assertThat(running.state().attempt()).isEqualTo(1);
        assertThat(running.state().observed()).isEqualTo("RUNNING");
        assertThat(running.state().nextPollAt()).isEqualTo(T0.plusSeconds(10));

        PollOutcome<String> again = poller.decide(running.state(), T0.plusSeconds(10), "RUNNING", null);
        assertThat(again.changed()).as("the same state is reported once").isFalse();

        PollOutcome<String> done = poller.decide(again.state(), T0.plusSeconds(15), "DONE", null);
        assertThat(done.status()).isEqualTo(PollOutcome.Status.SUCCESS);
        assertThat(done.response()).isEqualTo("DONE");
        assertThat(done.delay()).isZero();

        PollOutcome<String> broken = poller.decide(again.state(), T0.plusSeconds(15), "BROKEN", null);
        assertThat(broken.status()).isEqualTo(PollOutcome.Status.FAILURE);
        assertThat(broken.message()).isEqualTo("it broke");
    }

    @Test
    void retryableExceptionsPostponeOtherExceptionsEndTheWait() {
        PollState s = poller.decide(poller.start(T0).state(), T0.plusSeconds(5), "RUNNING", null).state();
        PollOutcome<String> throttled = poller.poll(s, T0.plusSeconds(10), () -> {
            throw new Transient("Rate exceeded");
        });
        assertThat(throttled.status()).isEqualTo(PollOutcome.Status.WAIT);
        assertThat(throttled.error()).isInstanceOf(Transient.class);
        assertThat(throttled.message()).isEqualTo("Transient: Rate exceeded");
        assertThat(throttled.state().observed()).as("an error keeps the last seen state").isEqualTo("RUNNING");
        assertThat(throttled.changed()).isFalse();

        PollOutcome<String> denied = poller.poll(s, T0.plusSeconds(10), () -> {
            throw new IllegalStateException("AccessDenied");
        });
        assertThat(denied.status()).isEqualTo(PollOutcome.Status.FAILURE);
        assertThat(denied.message()).isEqualTo("IllegalStateException: AccessDenied");
    }

    @Test
    void theDeadlineEndsTheWaitWithTheLastState() {
        PollState s = poller.start(T0).state();
        PollOutcome<String> late = poller.decide(s, T0.plus(Duration.ofMinutes(10)), "RUNNING", null);
        assertThat(late.status()).isEqualTo(PollOutcome.Status.TIMED_OUT);
        assertThat(late.message()).isEqualTo("gave up after 10 min and 1 polls, still RUNNING");
        PollOutcome<String> justBefore = poller.decide(s, T0.plus(Duration.ofMinutes(10)).minusSeconds(2), "RUNNING", null);
        assertThat(justBefore.delay()).as("the last poll is at the deadline").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theDecisionIsAPureFunctionOfItsInputs() {
        PollState s = new PollState(T0, T0.plusSeconds(600), 3, "PENDING", T0.plusSeconds(20));
        assertThat(poller.decide(s, T0.plusSeconds(20), "RUNNING", null))
                .isEqualTo(poller.decide(s, T0.plusSeconds(20), "RUNNING", null));
    }

    @Test
    void theLoopSleepsUntilEachPollAndStopsAtTheEnd() throws Exception {
        FakeClock clock = new FakeClock(T0);
        Deque<String> answers = new ArrayDeque<>(List.of("PENDING", "RUNNING", "RUNNING", "DONE"));
        List<Instant> pollTimes = new ArrayList<>();
        PollOutcome<String> end = PollLoop.run(poller, poller.start(T0), () -> {
            pollTimes.add(clock.instant());
            return answers.removeFirst();
        }, clock, clock.sleeper(), o -> { });
        assertThat(end.status()).isEqualTo(PollOutcome.Status.SUCCESS);
        assertThat(end.state().attempt()).isEqualTo(4);
        assertThat(pollTimes).containsExactly(T0.plusSeconds(5), T0.plusSeconds(10), T0.plusSeconds(15), T0.plusSeconds(20));
    }

    @Test
    void anInterruptEndsTheLoop() {
        FakeClock clock = new FakeClock(T0);
        PollLoop.Sleeper interrupting = d -> Thread.currentThread().interrupt();
        assertThatThrownBy(() -> PollLoop.run(poller, poller.start(T0), () -> "RUNNING", clock, interrupting, o -> { }))
                .isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("the flag was consumed by the exception").isFalse();
    }

    @Test
    void humanDurations() {
        assertThat(Poller.human(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(Poller.human(Duration.ofSeconds(200))).isEqualTo("3 min 20 s");
        assertThat(Poller.human(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
        assertThat(Poller.human(Duration.ofHours(6))).isEqualTo("6 h");
    }
}
