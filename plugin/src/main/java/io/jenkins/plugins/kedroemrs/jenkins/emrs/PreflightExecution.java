package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import hudson.FilePath;
import io.jenkins.plugins.kedroemrs.core.preflight.Preflight;
import io.jenkins.plugins.kedroemrs.core.preflight.PreflightReport;
import io.jenkins.plugins.kedroemrs.core.preflight.PreflightRequest;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.jenkins.Failures;
import io.jenkins.plugins.kedroemrs.jenkins.JenkinsProgress;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * {@code emrsPreflight}'s execution: one piece of work on Jenkins' pool for blocking I/O (the checks' calls go out at
 * once and take about a second), so the CPS VM thread never waits on AWS. Saved: the request (JSON) and the AWS
 * fields. The checks only read, so after a controller restart they simply run again.
 */
final class PreflightExecution extends TimerStepExecution {
    private static final long serialVersionUID = 1L;
    static final String FUNCTION_SUITE = "emrsPreflight";

    private final String requestJson;
    private final String applicationId;
    /** The step's environment sends AWS calls to an endpoint override (LocalStack, moto): any registry's image. */
    private final boolean anyRegistry;
    /** A workspace path for the JUnit XML, or empty. */
    private final String junit;

    PreflightExecution(StepContext context, PreflightRequest request, String junit, boolean anyRegistry, AwsFields aws,
            String functionName) {
        super(context, aws, functionName);
        this.requestJson = Json.write(request);
        this.applicationId = request.applicationId();
        this.anyRegistry = anyRegistry;
        this.junit = junit;
    }

    @Override
    public boolean start() {
        schedule(Duration.ZERO, this::check);
        return false;
    }

    private void check() throws Exception {
        PreflightRequest request = Json.read(requestJson, PreflightRequest.class, "emrsPreflight request");
        JenkinsProgress progress = progress();
        progress.phase("Preflight: application " + applicationId + " in " + clients().region().id());
        PreflightReport report = new Preflight(clients()).withAnyRegistry(anyRegistry).run(request);
        report.table().forEach(progress::info);
        progress.info(report.summary());
        if (!junit.isEmpty()) {
            writeJunit(report, progress);
        }
        if (!report.passed()) {
            fail(Failures.abort("Preflight failed: " + report.failures()));
            return;
        }
        succeed(report.toMap());
    }

    /** The checks as JUnit XML in the workspace (written here, copied to the agent). */
    private void writeJunit(PreflightReport report, JenkinsProgress progress) throws IOException, InterruptedException {
        FilePath target = getContext().get(FilePath.class).child(junit);
        Path local = Files.createTempFile("kedro-emrs-preflight", ".xml");
        try {
            report.writeJunit(FUNCTION_SUITE, local);
            FilePath parent = target.getParent();
            if (parent != null) {
                parent.mkdirs();
            }
            target.copyFrom(new FilePath(local.toFile()));
        } finally {
            Files.deleteIfExists(local);
        }
        progress.info("JUnit XML: " + junit + " (for the junit step)");
    }

    @Override
    protected void resume() throws Exception {
        progress().info("Jenkins restarted during the preflight of application " + applicationId + ": checking again");
        check();
    }

    @Override
    protected void onStop(Throwable cause) {
        fail(cause); // the checks only read: nothing to undo
    }

    @Override
    protected String status() {
        return "checking the AWS set-up of application " + applicationId;
    }
}
