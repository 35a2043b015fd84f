package io.jenkins.plugins.kedroemrs.jenkins.kedro;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.model.EnvironmentContributingAction;
import hudson.model.Run;
import java.util.Map;
import java.util.TreeMap;

/**
 * Passes a freestyle {@code kedroPackage}'s results on to the build steps after it, as environment variables.
 * Stored with the build (paths and checksums only: nothing secret). No sidebar entry.
 */
public final class KedroPackageAction implements EnvironmentContributingAction {
    private final TreeMap<String, String> variables;

    public KedroPackageAction(Map<String, String> variables) {
        this.variables = new TreeMap<>(variables);
    }

    public Map<String, String> getVariables() {
        return java.util.Collections.unmodifiableMap(variables);
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
