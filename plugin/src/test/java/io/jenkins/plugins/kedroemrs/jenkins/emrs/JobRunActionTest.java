package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.Item;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import io.jenkins.plugins.kedroemrs.jenkins.StandInAws;
import java.net.URL;
import java.nio.file.Path;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The build's job run entry: its page shows the ids, the state and the id-made links; its Spark UI button asks the
 * (stand-in) service for a fresh GetDashboardForJobRun URL on every click, with the build's credentials, for users who
 * may read the job, by POST only.
 */
@WithJenkins
class JobRunActionTest {

    @AfterEach
    void normalPolls() {
        StandInAws.resetPolls();
    }

    @Test
    void thePageRendersAndTheSparkUiLinkIsFetchedFreshOnEveryClick(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        StandInAws.addCredentials();
        aws.moto.jobScript("SUBMITTED", "SUCCESS");
        WorkflowJob job = r.createProject(WorkflowJob.class, "links");
        FilePath ws = r.jenkins.getWorkspaceFor(job);
        SamplePackageResult.write(Path.of(ws.child("dist").getRemote()), "1.7.0");
        job.setDefinition(new CpsFlowDefinition("node { withEnv(['AWS_ENDPOINT_URL=" + aws.moto.endpoint() + "']) {\n"
                + "emrsSubmit applicationId: '" + aws.applicationId + "', executionRoleArn: '" + StandInAws.ROLE + "', credentialsId: '"
                + StandInAws.CREDENTIALS_ID + "', region: 'us-east-1', packageResult: 'dist', codeUri: 's3://" + StandInAws.BUCKET
                + "/code', logUri: 's3://" + StandInAws.BUCKET + "/logs'\n} }", true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        JobRunAction action = run.getAction(JobRunAction.class);
        String jobRunId = action.getJobRunId();

        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, Item.BUILD).everywhere().to("builder")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ).everywhere().to("outsider"));
        String page = run.getUrl() + action.getUrlName() + "/";
        // Who may read the job sees the run and its links, but may not make the controller ask AWS for a Spark UI link.
        try (JenkinsRule.WebClient wc = r.createWebClient()) {
            wc.login("reader");
            HtmlPage html = wc.goTo(page);
            assertThat(html.asNormalizedText()).contains("EMR Serverless job run " + jobRunId, "SUCCESS", aws.applicationId,
                    "Opening the Spark UI needs the permission to build this job (Job/Build)");
            assertThat(html.getForms()).noneMatch(f -> "dashboard".equals(f.getNameAttribute()));
            assertThat(html.getAnchorByHref(action.getLinks().get("console"))).isNotNull();
            assertThat(wc.goTo(run.getUrl()).asNormalizedText()).contains("EMR Serverless job run " + jobRunId + ": SUCCESS");
            wc.setThrowExceptionOnFailingStatusCode(false);
            assertThat(post(wc, page + "dashboard").getStatusCode()).isEqualTo(403);
        }
        assertThat(aws.calls("emr-serverless GET /applications/\\w+/jobruns/" + jobRunId + "/dashboard")).isZero();
        try (JenkinsRule.WebClient wc = r.createWebClient()) {
            wc.login("builder");
            assertThat(wc.goTo(page).getForms()).anyMatch(f -> "dashboard".equals(f.getNameAttribute()));
            wc.setThrowExceptionOnFailingStatusCode(false);
            wc.getOptions().setRedirectEnabled(false);
            WebResponse one = post(wc, page + "dashboard");
            WebResponse two = post(wc, page + "dashboard");
            assertThat(one.getStatusCode()).isEqualTo(302);
            assertThat(one.getResponseHeaderValue("Location"))
                    .startsWith("https://p-" + jobRunId + "-" + aws.applicationId + ".emrappui-prod.us-east-1.amazonaws.com/");
            assertThat(two.getResponseHeaderValue("Location")).isNotEqualTo(one.getResponseHeaderValue("Location"));
            assertThat(aws.calls("emr-serverless GET /applications/\\w+/jobruns/" + jobRunId + "/dashboard")).isEqualTo(2);

            WebResponse get = wc.getPage(new WebRequest(new URL(wc.getContextPath() + page + "dashboard"), HttpMethod.GET))
                    .getWebResponse();
            // Stapler's @POST cancels the dispatch of any other verb, so no method answers: 404, and no AWS call.
            assertThat(get.getStatusCode()).isEqualTo(404);
        }
        try (JenkinsRule.WebClient wc = r.createWebClient()) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            wc.login("outsider");
            assertThat(post(wc, page + "dashboard").getStatusCode()).isIn(403, 404);
        }
        assertThat(aws.calls("emr-serverless GET /applications/\\w+/jobruns/" + jobRunId + "/dashboard")).isEqualTo(2);
    }

    static WebResponse post(JenkinsRule.WebClient wc, String relative) throws Exception {
        WebRequest req = new WebRequest(new URL(wc.getContextPath() + relative), HttpMethod.POST);
        wc.addCrumb(req);
        return wc.getPage(req).getWebResponse();
    }
}
