package io.jenkins.plugins.kedroemrs.core.oci;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import java.util.List;

/** An index offers no manifest for the platform asked for; carries what it does offer. */
public final class PlatformNotFoundException extends EngineException {
    private static final long serialVersionUID = 1L;

    private final transient Platform wanted;
    private final transient List<Platform> offered;

    public PlatformNotFoundException(String name, Platform wanted, List<Platform> offered) {
        super(name + " has no image for " + wanted + "; its index offers " + (offered.isEmpty() ? "no platform" : offered));
        this.wanted = wanted;
        this.offered = List.copyOf(offered);
    }

    public Platform wanted() {
        return wanted;
    }

    public List<Platform> offered() {
        return offered;
    }
}
