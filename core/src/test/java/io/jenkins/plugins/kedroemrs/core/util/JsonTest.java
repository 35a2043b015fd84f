package io.jenkins.plugins.kedroemrs.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.polling.PollState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonTest {
    record Timed(Instant at, Duration took) {
    }

    @Test
    void instantsAndDurationsAreIsoTextAndComeBack() {
        Timed t = new Timed(Instant.parse("2026-03-01T08:00:00.250Z"), Duration.ofMinutes(15));
        String json = Json.write(t);
        assertThat(json).isEqualTo("{\"at\":\"2026-03-01T08:00:00.250Z\",\"took\":\"PT15M\"}");
        assertThat(Json.read(json, Timed.class, "timing")).isEqualTo(t);
    }

    @Test
    void aPollStateRoundTripsAsOneLine() {
        PollState s = new PollState(Instant.parse("2026-03-01T08:00:00Z"), Instant.parse("2026-03-01T21:00:00Z"), 12, "RUNNING",
                Instant.parse("2026-03-01T08:03:20Z"));
        String json = Json.write(s);
        assertThat(json).doesNotContain("\n");
        assertThat(Json.read(json, PollState.class, "poll state")).isEqualTo(s);
    }

    @Test
    void unreadableStateSaysWhatItWas() {
        assertThatThrownBy(() -> Json.read("{\"startedAt\": 12", PollState.class, "poll state"))
                .isInstanceOf(EngineException.class).hasMessageStartingWith("The saved poll state cannot be read back (");
    }
}
