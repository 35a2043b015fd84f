package io.jenkins.plugins.kedroemrs.jenkins.builders;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.Builder;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import io.jenkins.plugins.kedroemrs.jenkins.VariablesAction;
import io.jenkins.plugins.kedroemrs.jenkins.kedro.PackageOnAgent;
import io.jenkins.plugins.kedroemrs.jenkins.steps.KedroPackageStep;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code kedroPackage} as a freestyle build step: the Pipeline step's fields (with {@code ${VARIABLES}} of the build
 * expanded), the same work on the agent. The results are passed on to later build steps as environment variables
 * ({@code KEDRO_WHEEL}, {@code KEDRO_CONF_ARCHIVE}, {@code KEDRO_ENTRYPOINT}, {@code KEDRO_PACKAGE_RESULT}, their
 * {@code _SHA256} ..., see {@link PackageResult#toEnvironment()}) through a {@link VariablesAction}.
 */
public final class KedroPackageBuilder extends Builder implements SimpleBuildStep {
    private final KedroPackageStep step;

    @DataBoundConstructor
    public KedroPackageBuilder(KedroPackageStep step) {
        this.step = step;
    }

    public KedroPackageStep getStep() {
        return step;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env, @NonNull Launcher launcher,
            @NonNull TaskListener listener) throws InterruptedException, IOException {
        PackageResult result = PackageOnAgent.run(workspace, step.options().expand(env::expand), env, listener, "kedroPackage");
        run.addAction(new VariablesAction(result.toEnvironment()));
        listener.getLogger().println("[kedroPackage] Later build steps see KEDRO_WHEEL, KEDRO_CONF_ARCHIVE, KEDRO_ENTRYPOINT and"
                + " KEDRO_PACKAGE_RESULT");
    }

    @Extension
    public static final class DescriptorImpl extends StepBuilderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KedroPackageBuilder_DisplayName();
        }
    }
}
