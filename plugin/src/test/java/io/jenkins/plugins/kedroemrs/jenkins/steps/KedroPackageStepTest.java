package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Result;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        r.waitOnline(r.createSlave("builder", null, null)); // online before its workspace is asked for
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
    void formChecksUseTheEnginesRulesForEveryReader(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "forms");
        String check = job.getUrl() + "descriptorByName/" + KedroPackageStep.class.getName() + "/checkConfExcludes?value=";
        try (JenkinsRule.WebClient wc = r.createWebClient()) {
            wc.login("reader");
            assertThat(post(wc, check + "base%2Fx.yml").getContentAsString()).contains("<div/>");
            assertThat(post(wc, check + "..%2Fup").getContentAsString()).contains("is not a path inside conf/");
        }
    }

    /** Abort while the engine's child process runs: the build ends ABORTED and the process is gone. */
    @Test
    void abortingTheBuildKillsTheChildProcess(JenkinsRule r) throws Exception {
        Path project = tmp.resolve("demo");
        Files.createDirectories(project.resolve("src/demo"));
        Files.createDirectories(project.resolve("conf/base"));
        Files.writeString(project.resolve("pyproject.toml"), """
                [build-system]
                requires = ["setuptools"]
                build-backend = "setuptools.build_meta"
                [project]
                name = "demo"
                version = "0.1"
                [tool.kedro]
                package_name = "demo"
                project_name = "demo"
                """);
        Files.writeString(project.resolve("src/demo/__init__.py"), "");
        Files.writeString(project.resolve("conf/base/parameters.yml"), "{}\n"); // FilePath copies files, not empty folders
        Files.writeString(project.resolve("src/demo/__main__.py"), "def main(argv=None):\n    pass\n");
        // A "python" that records its pid (from the step's environment) and hangs: the interpreter probe never ends.
        Path pidFile = tmp.resolve("python.pid");
        Path fakePython = Files.createDirectories(tmp.resolve("bin")).resolve("python3");
        Files.writeString(fakePython, "#!/bin/sh\necho $$ > \"$KEDRO_TEST_PIDFILE\"\nexec sleep 300\n");
        assertThat(fakePython.toFile().setExecutable(true)).isTrue();

        WorkflowJob job = r.createProject(WorkflowJob.class, "abort");
        new FilePath(project.toFile()).copyRecursiveTo(r.jenkins.getWorkspaceFor(job).child("demo"));
        job.setDefinition(new CpsFlowDefinition("node { withEnv(['KEDRO_TEST_PIDFILE=" + pidFile + "']) {"
                + " kedroPackage projectDir: 'demo', python: '" + fakePython + "' } }", true));
        WorkflowRun run = job.scheduleBuild2(0).waitForStart();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(Files.exists(pidFile) && Files.size(pidFile) > 0) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

        run.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(run));
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("python probe %d still running", pid).isFalse();
    }

    static WebResponse post(JenkinsRule.WebClient wc, String relative) throws Exception {
        WebRequest req = new WebRequest(new URL(wc.getContextPath() + relative), HttpMethod.POST);
        wc.addCrumb(req);
        return wc.getPage(req).getWebResponse();
    }

}
