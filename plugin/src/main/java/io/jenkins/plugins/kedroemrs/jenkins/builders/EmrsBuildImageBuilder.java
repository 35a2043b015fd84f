package io.jenkins.plugins.kedroemrs.jenkins.builders;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.Builder;
import io.jenkins.plugins.kedroemrs.core.image.ImageResult;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import io.jenkins.plugins.kedroemrs.jenkins.VariablesAction;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsBuildImageStep;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code emrsBuildImage} as a freestyle build step: the Pipeline step's fields (with {@code ${VARIABLES}} of the build
 * expanded, e.g. {@code $KEDRO_PACKAGE_RESULT}), the same build on the agent. Passes {@code EMRS_IMAGE} (the
 * {@code repository@sha256:…} to run), {@code EMRS_IMAGE_DIGEST}, {@code EMRS_IMAGE_PYTHON}, {@code EMRS_IMAGE_TAGS} and
 * {@code EMRS_IMAGE_ID} on to later build steps, e.g. {@code imageUri: $EMRS_IMAGE} of emrsRestartApp and
 * {@code imagePython: $EMRS_IMAGE_PYTHON} of emrsSubmit.
 */
public final class EmrsBuildImageBuilder extends Builder implements SimpleBuildStep {
    private final EmrsBuildImageStep step;

    @DataBoundConstructor
    public EmrsBuildImageBuilder(EmrsBuildImageStep step) {
        this.step = step;
    }

    public EmrsBuildImageStep getStep() {
        return step;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env, @NonNull Launcher launcher,
            @NonNull TaskListener listener) throws InterruptedException, IOException {
        Object packageResult = step.getPackageResult();
        ImageResult result = EmrsBuildImageStep.build(run, workspace, env, listener, step.options().expand(env::expand),
                packageResult instanceof String s ? env.expand(s) : packageResult, step.awsFields().expand(env),
                env.expand(step.getToolName()));
        run.addAction(new VariablesAction(result.toEnvironment()));
        listener.getLogger().println("[emrsBuildImage] Later build steps see " + String.join(", ", result.toEnvironment().keySet()));
    }

    @Extension
    public static final class DescriptorImpl extends StepBuilderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EmrsBuildImageBuilder_DisplayName();
        }
    }
}
