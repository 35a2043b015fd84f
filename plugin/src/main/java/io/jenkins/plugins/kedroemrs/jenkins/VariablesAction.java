package io.jenkins.plugins.kedroemrs.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.model.EnvironmentContributingAction;
import hudson.model.Run;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Passes a freestyle build step's results on to the build steps after it, as environment variables
 * ({@code KEDRO_WHEEL}, {@code EMRS_JOB_RUN_ID}, ...: the engine results' {@code toEnvironment()}). Each build step
 * adds its own; a later one's values win. Stored with the build (paths, ids, digests: nothing secret). No sidebar entry.
 */
public final class VariablesAction implements EnvironmentContributingAction {
    private final TreeMap<String, String> variables;

    public VariablesAction(Map<String, String> variables) {
        this.variables = new TreeMap<>(variables);
    }

    public Map<String, String> getVariables() {
        return Collections.unmodifiableMap(variables);
    }

    @Override
    public void buildEnvironment(@NonNull Run<?, ?> run, @NonNull EnvVars env) {
        env.putAll(variables);
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
