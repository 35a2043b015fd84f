package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.security.Permission;
import hudson.model.Run;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.AwsErrors;
import io.jenkins.plugins.kedroemrs.core.cost.JobRunCost;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunLinks;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmittedJobRun;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsFields;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.verb.POST;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A sidebar entry per EMR Serverless job run of a build: its state and its links (the job run in the EMR console, its
 * logs in S3 and CloudWatch), made from ids so they never expire. The Spark UI link ({@link #doDashboard}) asks AWS
 * for a fresh URL when it is clicked: GetDashboardForJobRun's URLs work for one hour.
 *
 * <p>Stores ids, the state and the AWS fields (credentials id, region, role: no secret), never the {@link Run} (it is
 * handed over again by {@link #onAttached} / {@link #onLoad}) and never log lines.
 */
public final class JobRunAction implements RunAction2 {
    private static final Logger LOGGER = Logger.getLogger(JobRunAction.class.getName());

    private final String applicationId;
    private final String jobRunId;
    private final String name;
    private final String region;
    private final LinkedHashMap<String, String> links;
    private final AwsFields aws;
    private volatile String state;
    /** What the run was billed and cost, once it ended; {@code null} before, and in builds from older versions. */
    private volatile JobRunFigures figures;
    private transient Run<?, ?> run;

    public JobRunAction(SubmittedJobRun run, AwsFields aws, String state) {
        this.applicationId = run.applicationId();
        this.jobRunId = run.jobRunId();
        this.name = run.name();
        this.region = run.region();
        this.links = new LinkedHashMap<>(run.links());
        this.aws = aws;
        this.state = state;
    }

    /** The action of job run {@code jobRunId} on {@code build}, or {@code null}. */
    @CheckForNull
    public static JobRunAction of(Run<?, ?> build, String jobRunId) {
        return build.getActions(JobRunAction.class).stream().filter(a -> a.jobRunId.equals(jobRunId)).findFirst().orElse(null);
    }

    /** Records a new state of the job run (saved with the build). */
    public void setState(String newState) throws IOException {
        if (newState != null && !newState.equals(state)) {
            state = newState;
            if (run != null) {
                run.save();
            }
        }
    }

    /** Records how the run ended and what it cost (saved with the build); {@code cost} null keeps what is there. */
    public void setEnd(String newState, @CheckForNull JobRunCost cost) throws IOException {
        if (cost != null) {
            figures = JobRunFigures.of(cost);
            state = newState;
            if (run != null) {
                run.save();
            }
        } else {
            setState(newState);
        }
    }

    /** What the run was billed and cost, or {@code null} (not ended yet, or a build from before the cost was kept). */
    @CheckForNull
    public JobRunFigures getFigures() {
        return figures;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    public String getApplicationId() {
        return applicationId;
    }

    public String getJobRunId() {
        return jobRunId;
    }

    public String getName() {
        return name;
    }

    public String getRegion() {
        return region;
    }

    public String getState() {
        return state;
    }

    /** {@code console}, and when the run's logs go there {@code s3Logs} and {@code cloudWatch}. */
    public Map<String, String> getLinks() {
        return Collections.unmodifiableMap(links);
    }

    /** Who may open the Spark UI: those who may build the job (and so use its credentials). */
    public static final Permission DASHBOARD_PERMISSION = Item.BUILD;

    /** Whether the current user may open the Spark UI (the page says who may when not). */
    public boolean isDashboardAllowed() {
        return run != null && run.getParent().hasPermission(DASHBOARD_PERMISSION);
    }

    @Override
    public String getIconFileName() {
        return "symbol-cloud";
    }

    @Override
    public String getDisplayName() {
        return Messages.JobRunAction_DisplayName(jobRunId);
    }

    @Override
    public String getUrlName() {
        return "emrs-job-run-" + jobRunId;
    }

    /**
     * Redirects to a fresh URL of the job run's Spark UI (live while it runs, the history server after), fetched with
     * GetDashboardForJobRun now: each URL works for one hour, so none is stored. A POST by someone who may build the
     * job ({@link #DASHBOARD_PERMISSION}): it makes an AWS call with the build's credentials and hands out a pre-signed
     * link into the run, which reading the job must not give.
     */
    @POST
    public HttpResponse doDashboard() {
        if (run == null) {
            return HttpResponses.notFound();
        }
        run.getParent().checkPermission(DASHBOARD_PERMISSION);
        try (AwsClientFactory clients = new AwsClientFactory(aws.settings(run, null))) {
            return HttpResponses.redirectTo(JobRunLinks.dashboardUrl(clients.emrServerless(), applicationId, jobRunId));
        } catch (EngineException | SdkException e) {
            LOGGER.log(Level.FINE, "GetDashboardForJobRun " + jobRunId, e);
            String why = e instanceof SdkException s ? AwsErrors.describe(s) : e.getMessage();
            return HttpResponses.errorWithoutStack(502, "No Spark UI link for job run " + jobRunId + ": GetDashboardForJobRun "
                    + "failed (" + why + "). Its console page: " + links.get("console"));
        }
    }
}
