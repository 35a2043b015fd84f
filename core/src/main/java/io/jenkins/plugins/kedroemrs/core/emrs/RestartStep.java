package io.jenkins.plugins.kedroemrs.core.emrs;

import java.time.Duration;

/**
 * One step of a restart: either wait {@link #delay()} and call {@link ApplicationRestarter#advance} with
 * {@link #state()}, or done with {@link #result()}.
 */
public record RestartStep(RestartState state, Duration delay, RestartResult result) {

    public boolean done() {
        return result != null;
    }
}
