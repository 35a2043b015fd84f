package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import io.jenkins.plugins.kedroemrs.core.InputChecks;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AmbientAws;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartAppOptions;
import io.jenkins.plugins.kedroemrs.core.emrs.RunIdentity;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitJobOptions;
import io.jenkins.plugins.kedroemrs.core.preflight.PreflightRequest;
import io.jenkins.plugins.kedroemrs.core.validate.ValidateImageOptions;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsFields;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/** The executions of the waiting steps, made here so that they stay package-private with their timer machinery. */
public final class Executions {
    private Executions() {
    }

    /**
     * {@code emrsRestartApp}: the options are checked now (bad input fails the step before any call); an image in any
     * registry is taken only when the step's environment sends AWS calls to an endpoint override (LocalStack, moto).
     */
    public static StepExecution restart(StepContext context, RestartAppOptions options, AwsFields aws, String functionName)
            throws Exception {
        return new RestartExecution(context, options, AmbientAws.endpointOverridden(context.get(EnvVars.class)), aws, functionName);
    }

    /**
     * {@code emrsPreflight}: the request is checked now (bad input fails the step before any call), with any registry's
     * image only when the step's environment sends AWS calls to an endpoint override (LocalStack, moto).
     */
    public static StepExecution preflight(StepContext context, PreflightRequest request, String junit, AwsFields aws,
            String functionName) throws Exception {
        boolean anyRegistry = AmbientAws.endpointOverridden(context.get(EnvVars.class));
        InputChecks checks = new InputChecks();
        checks.check(() -> request.check(anyRegistry));
        if (!junit.isEmpty()) {
            checks.check(() -> ValidateImageOptions.checkJunit(junit));
            FilePath workspace = context.get(FilePath.class);
            checks.check(() -> {
                if (workspace == null) {
                    throw new InvalidInputException("junit", "the JUnit XML goes into the workspace, and there is none here",
                            "Call " + functionName + " inside node { ... }, or leave junit out");
                }
            });
        }
        checks.done();
        return new PreflightExecution(context, request, junit, anyRegistry, aws, functionName);
    }

    /**
     * {@code emrsSubmit}: the options are checked now; the run identity (and so StartJobRun's client token) is this
     * controller, this build and its start time, and the step's flow node.
     */
    public static StepExecution submit(StepContext context, SubmitJobOptions options, Object packageResult, String priceFile,
            AwsFields aws, String functionName) throws Exception {
        Run<?, ?> run = context.get(Run.class);
        FlowNode node = context.get(FlowNode.class);
        String runId = RunIdentity.jenkins(Jenkins.get().getLegacyInstanceId(), run.getExternalizableId(),
                run.getStartTimeInMillis(), node.getId());
        return new SubmitExecution(context, options, packageResult, priceFile, runId, aws, functionName);
    }
}
