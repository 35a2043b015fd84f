package io.jenkins.plugins.kedroemrs.core.polling;

import static io.jenkins.plugins.kedroemrs.core.testing.JavaSerialization.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PollPolicyTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final PollPolicy noJitter = PollPolicy.builder().initialDelay(Duration.ofSeconds(5)).growth(0.05)
            .maxDelay(Duration.ofMinutes(5)).jitter(0).timeout(Duration.ofHours(24)).build();

    Duration delayAfter(PollPolicy p, Duration elapsed) {
        return p.nextDelay(T0, p.deadlineFrom(T0), T0.plus(elapsed), () -> 0.5);
    }

    @Test
    void theDelayIsTheInitialOneUntilGrowthTakesOverThenCapped() {
        assertThat(delayAfter(noJitter, Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
        assertThat(delayAfter(noJitter, Duration.ofSeconds(99))).isEqualTo(Duration.ofSeconds(5));
        assertThat(delayAfter(noJitter, Duration.ofSeconds(200))).isEqualTo(Duration.ofSeconds(10));
        assertThat(delayAfter(noJitter, Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(3));
        assertThat(delayAfter(noJitter, Duration.ofHours(6))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void jitterStaysWithinItsBoundsAndUsesTheGivenRandomness() {
        PollPolicy p = noJitter.toBuilder().jitter(0.1).build();
        Instant deadline = p.deadlineFrom(T0);
        Instant now = T0.plusSeconds(1000); // base delay 50 s
        assertThat(p.nextDelay(T0, deadline, now, () -> 0.0)).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.nextDelay(T0, deadline, now, () -> 0.5)).isEqualTo(Duration.ofSeconds(50));
        assertThat(p.nextDelay(T0, deadline, now, () -> 0.9999999)).isBetween(Duration.ofMillis(54_999), Duration.ofSeconds(55));
    }

    @Test
    void neverPollsPastTheDeadline() {
        Instant deadline = T0.plusSeconds(60);
        assertThat(noJitter.nextDelay(T0, deadline, T0.plusSeconds(58), () -> 0.5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(noJitter.nextDelay(T0, deadline, T0.plusSeconds(61), () -> 0.5)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aFixedPolicyAlwaysWaitsTheSame() {
        PollPolicy fixed = PollPolicy.builder().fixed(Duration.ofSeconds(60)).build();
        assertThat(delayAfter(fixed, Duration.ZERO)).isEqualTo(Duration.ofSeconds(60));
        assertThat(delayAfter(fixed, Duration.ofHours(5))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void badSettingsNameTheField() {
        assertThatThrownBy(() -> PollPolicy.builder().initialDelay(Duration.ZERO).build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("initial-delay"));
        assertThatThrownBy(() -> PollPolicy.builder().growth(1.5).build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("growth"));
        assertThatThrownBy(() -> PollPolicy.builder().jitter(-0.1).build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("jitter"));
        assertThatThrownBy(() -> PollPolicy.builder().initialDelay(Duration.ofMinutes(10)).maxDelay(Duration.ofMinutes(1)).build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("max-delay"));
        assertThatThrownBy(() -> PollPolicy.builder().timeout(null).build())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("timeout"));
    }

    @Test
    void policyAndStateSurviveJavaSerialization() throws Exception {
        PollState state = new PollState(T0, T0.plusSeconds(3600), 7, "RUNNING", T0.plusSeconds(90));
        assertThat(roundTrip(state)).isEqualTo(state);
        assertThat(roundTrip(PollPolicy.JOB_RUN)).isEqualTo(PollPolicy.JOB_RUN);
        assertThat(PollPolicy.JOB_RUN.toBuilder().build()).isEqualTo(PollPolicy.JOB_RUN).hasSameHashCodeAs(PollPolicy.JOB_RUN);
    }
}
