package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.jenkins.StandInAws;
import io.jenkins.plugins.kedroemrs.jenkins.builders.EmrsSubmitBuilder;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsSubmitStep;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTable;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * What a run cost, in Jenkins: the step's result and log, the job run's page, the freestyle variables, and the job's
 * "EMR Serverless" page with its ECharts trend (the real ECharts API plugin's model classes and tag) and its table,
 * all from what the builds saved. The stand-in fills in the billed figures moto leaves at zero.
 */
@WithJenkins
class JobRunsJobActionTest {
    static final Map<String, Object> USAGE = Map.of("vCPUHour", 1.42, "memoryGBHour", 5.68, "storageGBHour", 0,
            "executionSeconds", 243, "queuedMs", 12000);
    static final String LINE = "billed 1.42 vCPU-h, 5.68 GB-h, 0 storage GB-h ≈ $0.11 (us-east-1, X86_64, list prices of "
            + "2026-12-04); queued 12 s, ran 4 min 3 s";

    @AfterEach
    void normalPolls() {
        StandInAws.resetPolls();
    }

    private static String submit(StandInAws aws, String more) {
        return "node {\n" + aws.withAws("def r = emrsSubmit applicationId: '" + aws.applicationId + "', executionRoleArn: '"
                + StandInAws.ROLE + "', packageResult: 'dist', codeUri: 's3://" + StandInAws.BUCKET + "/code'" + more + "\n"
                + "echo \"cost=${r.cost.usd} vcpu=${r.cost.vcpuHours} ran=${r.cost.runSeconds}\"") + "\n}";
    }

    @Test
    void eachBuildKeepsItsCostAndTheJobPageTrendsThemWithoutAnAwsCall(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        aws.moto.jobScript("SUBMITTED", "RUNNING", "SUCCESS");
        aws.moto.jobUsage(USAGE);
        WorkflowJob job = r.createProject(WorkflowJob.class, "trend");
        FilePath ws = r.jenkins.getWorkspaceFor(job);
        SamplePackageResult.write(Path.of(ws.child("dist").getRemote()), "1.7.0");
        job.setDefinition(new CpsFlowDefinition(submit(aws, ""), true));
        WorkflowRun first = r.buildAndAssertSuccess(job);
        r.assertLogContains(LINE, first);
        r.assertLogContains("cost=" + (1.42 * 0.052624 + 5.68 * 0.0057785) + " vcpu=1.42 ran=243", first);
        JobRunAction action = first.getAction(JobRunAction.class);
        assertThat(action.getFigures().getLine()).isEqualTo(LINE);

        // A price file in the workspace replaces the list prices.
        ws.child("prices.json").write("{\"region\": \"*\", \"architecture\": \"*\", \"vcpuHour\": 0.1, \"memoryGbHour\": 0.01, "
                + "\"storageGbHour\": 0, \"date\": \"2026-11-01\"}", "UTF-8");
        aws.moto.jobUsage(Map.of("vCPUHour", 2.0, "memoryGBHour", 8.0, "storageGBHour", 0, "executionSeconds", 600,
                "queuedMs", 30000));
        job.setDefinition(new CpsFlowDefinition(submit(aws, ", priceFile: 'prices.json'"), true));
        WorkflowRun second = r.buildAndAssertSuccess(job);
        r.assertLogContains("≈ $0.28 (us-east-1, X86_64, prices of prices.json (2026-11-01)); queued 30 s, ran 10 min", second);

        // A bad price file fails the step before anything is uploaded or started.
        ws.child("prices.json").write("{\"region\": \"us-east-1\"}", "UTF-8");
        aws.moto.clearCalls();
        WorkflowRun bad = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("prices.json has a price for region us-east-1 without \"architecture\"", bad);
        assertThat(aws.moto.calls()).isEmpty();

        // A run not waited for has no figures (as an action from before the cost was kept): left out of the trend.
        job.setDefinition(new CpsFlowDefinition("node {\n" + aws.withAws("emrsSubmit applicationId: '" + aws.applicationId
                + "', executionRoleArn: '" + StandInAws.ROLE + "', packageResult: 'dist', codeUri: 's3://" + StandInAws.BUCKET
                + "/code', wait: false") + "\n}", true));
        WorkflowRun unwaited = r.buildAndAssertSuccess(job);
        assertThat(unwaited.getAction(JobRunAction.class).getFigures()).isNull();

        aws.moto.clearCalls();
        JobRunsJobAction page = job.getAction(JobRunsJobAction.class);
        assertThat(page).isNotNull();
        JsonNode time = Json.MAPPER.readTree(page.getTimeTrend().getBuildTrendModel());
        assertThat(time.path("buildNumbers")).extracting(JsonNode::asInt).containsExactly(1, 2);
        assertThat(time.path("series")).extracting(s -> s.path("name").asText()).containsExactly("Run time (min)", "Queue time (min)");
        assertThat(time.path("series").get(0).path("data")).extracting(JsonNode::asDouble).containsExactly(4.1, 10.0);
        assertThat(time.path("series").get(1).path("data")).extracting(JsonNode::asDouble).containsExactly(0.2, 0.5);
        JsonNode cost = Json.MAPPER.readTree(page.getCostTrend().getBuildTrendModel());
        assertThat(cost.path("series").get(0).path("data").get(0).asDouble()).isCloseTo(0.1075, within(1e-4));
        assertThat(cost.path("series").get(0).path("data").get(1).asDouble()).isCloseTo(0.28, within(1e-4));

        try (JenkinsRule.WebClient wc = r.createWebClient()) {
            HtmlPage jobPage = wc.getPage(job);
            assertThat(jobPage.getAnchors()).anyMatch(a -> a.getHrefAttribute().matches("(/jenkins/job/trend/)?emr-serverless/?"));
            assertThat(jobPage.querySelectorAll(".echarts-trend")).hasSize(1);
            assertThat(jobPage.asXml()).contains("EMR Serverless: run and queue time per build (minutes)");

            HtmlPage emrs = wc.goTo(job.getUrl() + "emr-serverless/");
            assertThat(emrs.querySelectorAll(".echarts-trend")).hasSize(2);
            HtmlTable table = (HtmlTable) emrs.getElementById("kedro-emrs-runs");
            assertThat(table.getRow(1).getCells().stream().map(c -> c.asNormalizedText()).toList()).contains("#4", "SUBMITTED");
            List<String> newest = table.getRow(2).getCells().stream().map(c -> c.asNormalizedText()).toList();
            assertThat(newest).contains("#2", "SUCCESS", "30 s", "10 min", "2.00", "8.00", "$0.28");
            List<String> oldest = table.getRow(3).getCells().stream().map(c -> c.asNormalizedText()).toList();
            assertThat(oldest).contains("#1", action.getJobRunId(), "12 s", "4 min 3 s", "1.42", "5.68", "$0.11");
            assertThat(emrs.getAnchorByHref("/jenkins/" + first.getUrl() + action.getUrlName() + "/")).isNotNull();
            assertThat(emrs.getAnchorByHref(action.getLinks().get("console"))).isNotNull();
            assertThat(emrs.asNormalizedText()).contains("3 job runs in the last builds; together about $0.39");

            HtmlPage runPage = wc.goTo(first.getUrl() + action.getUrlName() + "/");
            assertThat(runPage.asNormalizedText()).contains("$0.11 (us-east-1, X86_64, list prices of 2026-12-04)",
                    "1.42 vCPU-hours, 5.68 GB-hours of memory, 0 GB-hours of storage", "4 min 3 s");
            assertThat(wc.goTo(first.getUrl()).asNormalizedText()).contains(action.getJobRunId() + ": SUCCESS (greeter __default__), $0.11");
        }
        assertThat(aws.moto.calls()).as("the page and the trend read what the builds saved").isEmpty();
    }

    @Test
    void aFreestyleBuildGetsTheCostAsVariables(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        StandInAws.addCredentials();
        aws.moto.jobScript("SUBMITTED", "SUCCESS");
        aws.moto.jobUsage(USAGE);
        FreeStyleProject project = r.createFreeStyleProject("freestyle-cost");
        r.jenkins.getGlobalNodeProperties().add(new hudson.slaves.EnvironmentVariablesNodeProperty(
                new hudson.slaves.EnvironmentVariablesNodeProperty.Entry("AWS_ENDPOINT_URL", aws.moto.endpoint().toString())));
        SamplePackageResult.write(Path.of(r.jenkins.getWorkspaceFor(project).child("dist").getRemote()), "1.7.0");
        EmrsSubmitStep step = new EmrsSubmitStep(aws.applicationId, StandInAws.ROLE);
        step.setPackageResult("dist");
        step.setCodeUri("s3://" + StandInAws.BUCKET + "/code");
        step.setCredentialsId(StandInAws.CREDENTIALS_ID);
        step.setRegion("us-east-1");
        project.getBuildersList().add(new EmrsSubmitBuilder(step));
        EnvVars[] seen = new EnvVars[1];
        project.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(hudson.model.AbstractBuild<?, ?> build, hudson.Launcher launcher, hudson.model.BuildListener listener)
                    throws java.io.IOException, InterruptedException {
                seen[0] = build.getEnvironment(listener);
                return true;
            }
        });
        FreeStyleBuild build = r.buildAndAssertSuccess(project);
        r.assertLogContains(LINE, build);
        assertThat(seen[0]).containsEntry("EMRS_VCPU_HOURS", "1.42").containsEntry("EMRS_MEMORY_GB_HOURS", "5.68")
                .containsEntry("EMRS_STORAGE_GB_HOURS", "0").containsEntry("EMRS_QUEUED_SECONDS", "12")
                .containsEntry("EMRS_RUN_SECONDS", "243").containsKey("EMRS_COST_USD");
        assertThat(Double.parseDouble(seen[0].get("EMRS_COST_USD"))).isCloseTo(0.1075, within(1e-4));
        assertThat(project.getAction(JobRunsJobAction.class)).isNotNull();
        assertThat(build.getAction(JobRunAction.class).getFigures().getDollars()).isEqualTo("$0.11");
    }
}
