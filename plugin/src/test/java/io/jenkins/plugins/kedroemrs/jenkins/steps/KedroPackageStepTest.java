package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Result;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class KedroPackageStepTest {
    @TempDir
    Path tmp;

    @Test
    void everyFieldSurvivesTheSnippetGenerator(JenkinsRule r) throws Exception {
        KedroPackageStep step = new KedroPackageStep();
        step.setProjectDir("projects/spaceflights");
        step.setPython(".venv/bin/python");
        step.setOutDir("out");
        step.setConfDir("settings");
        step.setConfExcludes("base/secrets*.yml\n**/*.pem");
        step.setIncludeConfLocal(true);
        step.setWheelBuilder("uv");
        step.setTimeout(7);
        KedroPackageStep back = new StepConfigTester(r).configRoundTrip(step);
        r.assertEqualDataBoundBeans(step, back);

        KedroPackageStep defaults = new StepConfigTester(r).configRoundTrip(new KedroPackageStep());
        r.assertEqualDataBoundBeans(new KedroPackageStep(), defaults);
    }

    @Test
    void theSummaryNamesTheProjectAndNoDefaults(JenkinsRule r) {
        KedroPackageStep.DescriptorImpl d = r.jenkins.getDescriptorByType(KedroPackageStep.DescriptorImpl.class);
        assertThat(d.argumentsToString(Map.of("projectDir", "spaceflights", "wheelBuilder", "uv"))).isEqualTo("spaceflights (uv)");
        assertThat(d.argumentsToString(Map.of())).isEqualTo(".");
    }

    @Test
    void aPipelinePackagesAWorkspaceProjectOnTheAgentAndGetsTheResultMap(JenkinsRule r) throws Exception {
        Path python = TestPython.require();
        Path project = SampleKedroProject.create(tmp);
        WorkflowJob job = r.createProject(WorkflowJob.class, "package");
        r.createSlave("builder", null, null);
        job.setDefinition(new CpsFlowDefinition("""
                node('builder') {
                  def pkg = kedroPackage projectDir: 'greeter', python: '%s', wheelBuilder: 'build'
                  echo "package=${pkg.packageName} wheel=${pkg.wheel.fileName} sha=${pkg.wheel.sha256}"
                  echo "conf=${pkg.confArchive.fileName} excluded=${pkg.confExcluded}"
                  sh 'test -f "greeter/dist/conf-greeter.tar.gz"'
                }
                """.formatted(python), true));
        FilePath ws = r.jenkins.getNode("builder").getWorkspaceFor(job);
        new FilePath(project.toFile()).copyRecursiveTo(ws.child("greeter"));

        WorkflowRun run = r.buildAndAssertSuccess(job);
        r.assertLogContains("[kedroPackage] ==> Building the wheel with python -m build --wheel", run);
        r.assertLogContains("package=greeter wheel=greeter-0.1-py3-none-any.whl sha=", run);
        r.assertLogContains("conf=conf-greeter.tar.gz excluded=[local/]", run);
        r.assertLogNotContains(SampleKedroProject.LOCAL_SECRET, run);
    }

    @Test
    void badInputFailsTheBuildWithTheEnginesMessageAndNoStackTrace(JenkinsRule r) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "bad");
        job.setDefinition(new CpsFlowDefinition("node { kedroPackage projectDir: 'not-a-project' }", true));
        WorkflowRun run = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        r.assertLogContains("project-dir: ", run);
        r.assertLogContains("is not a folder", run);
        r.assertLogNotContains("at io.jenkins.plugins.kedroemrs", run);
    }

    @Test
    void formChecksUseTheEnginesRulesAndNeedConfigurePermission(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "forms");
        String check = job.getUrl() + "descriptorByName/" + KedroPackageStep.class.getName() + "/checkConfExcludes?value=";

        try (JenkinsRule.WebClient wc = r.createWebClient()) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            wc.login("reader");
            assertThat(post(wc, check + "base%2Fx.yml").getStatusCode()).isEqualTo(403);
            assertThat(post(wc, job.getUrl() + "descriptorByName/" + KedroPackageStep.class.getName() + "/fillWheelBuilderItems")
                    .getStatusCode()).isEqualTo(403);
        }
        try (JenkinsRule.WebClient wc = r.createWebClient()) {
            wc.login("admin");
            assertThat(post(wc, check + "base%2Fx.yml").getContentAsString()).contains("<div/>");
            assertThat(post(wc, check + "..%2Fup").getContentAsString()).contains("is not a path inside conf/");
        }
    }

    static WebResponse post(JenkinsRule.WebClient wc, String relative) throws Exception {
        WebRequest req = new WebRequest(new URL(wc.getContextPath() + relative), HttpMethod.POST);
        wc.addCrumb(req);
        return wc.getPage(req).getWebResponse();
    }

}
