package io.jenkins.plugins.kedroemrs.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a real peer (Python with Kedro, moto_server, a registry, a container engine) call {@link #require}.
 * On a laptop without the peer the test is skipped; under {@code CI=true} a missing peer fails the test, so a green CI
 * always means the real thing ran.
 */
public final class Peers {
    private Peers() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static void require(boolean available, String peer, String howToGetIt) {
        if (available) {
            return;
        }
        String message = peer + " is not available (" + howToGetIt + ")";
        if (inCi()) {
            fail("CI=true, so a missing peer is a failure: " + message);
        }
        Assumptions.abort(message);
    }
}
