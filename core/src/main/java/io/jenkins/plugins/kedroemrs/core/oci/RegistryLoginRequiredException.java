package io.jenkins.plugins.kedroemrs.core.oci;

import io.jenkins.plugins.kedroemrs.core.EngineException;

/**
 * The registry wants credentials (401) that the caller did not give, or refused the ones it gave. A caller that can do
 * without the answer (e.g. a digest double-check after a push the container CLI authenticated itself) may catch it.
 */
public class RegistryLoginRequiredException extends EngineException {
    private static final long serialVersionUID = 1L;

    public RegistryLoginRequiredException(String message) {
        super(message);
    }
}
