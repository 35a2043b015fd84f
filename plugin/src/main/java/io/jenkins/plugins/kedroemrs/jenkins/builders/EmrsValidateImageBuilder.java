package io.jenkins.plugins.kedroemrs.jenkins.builders;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.Builder;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationReport;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import io.jenkins.plugins.kedroemrs.jenkins.VariablesAction;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsValidateImageStep;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code emrsValidateImage} as a freestyle build step: the Pipeline step's fields (with {@code ${VARIABLES}} of the
 * build expanded, e.g. {@code $KEDRO_PACKAGE_RESULT}), the same work on the agent. Passes {@code EMRS_VALIDATION_PASSED},
 * {@code EMRS_VALIDATION_SUMMARY}, {@code EMRS_IMAGE_PLATFORM} and {@code EMRS_IMAGE_MANIFEST_DIGEST} on to later
 * build steps.
 */
public final class EmrsValidateImageBuilder extends Builder implements SimpleBuildStep {
    private final EmrsValidateImageStep step;

    @DataBoundConstructor
    public EmrsValidateImageBuilder(EmrsValidateImageStep step) {
        this.step = step;
    }

    public EmrsValidateImageStep getStep() {
        return step;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env, @NonNull Launcher launcher,
            @NonNull TaskListener listener) throws InterruptedException, IOException {
        Object packageResult = step.getPackageResult();
        ValidationReport report = EmrsValidateImageStep.validate(run, workspace, env, listener, step.options().expand(env::expand),
                packageResult instanceof String s ? env.expand(s) : packageResult,
                step.awsFields().expand(env), env.expand(step.getRegistryCredentialsId()), step.isLayerCache(),
                step.projectCheckOptions().expand(env::expand));
        run.addAction(new VariablesAction(report.toEnvironment()));
    }

    @Extension
    public static final class DescriptorImpl extends StepBuilderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EmrsValidateImageBuilder_DisplayName();
        }
    }
}
