package io.jenkins.plugins.kedroemrs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunLinks;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.core.testing.TestImages;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The plugin as a user meets it: the built {@code .hpi} installed in a real Jenkins 2.528.3 (a process of its own,
 * booted from the Jenkins kit), configured and driven only through Jenkins' REST API, running the README's two
 * Jenkinsfiles (the {@code kedroEmrServerless} library loaded from a Git repository of {@code vars/}, and the five
 * steps spelled out) and the README's freestyle chain against the stand-ins ({@link StandIns}: the EMR Serverless
 * stand-in, a real registry, a real Docker engine). What is asserted is what a user sees: the console (stages, job
 * run id, links rendered as links), the build's page and sidebar, the job run's page, the Snippet Generator; and what
 * AWS saw (the stand-in's request log): an abort sends CancelJobRun, a controller restart while {@code emrsSubmit}
 * waits resumes the same job run with one StartJobRun.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JenkinsEndToEndIT {
    static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/emr-serverless-job";
    static final Duration BUILD_LIMIT = Duration.ofMinutes(15);
    static final List<String> STEPS = List.of("emrsPreflight", "kedroPackage", "emrsBuildImage", "emrsValidateImage", "emrsRestartApp",
            "emrsSubmit");

    StandIns aws;
    KitJenkins jenkins;
    JenkinsClient rest;
    Path work;

    @BeforeAll
    void bootJenkins() throws Exception {
        Path hpi = KitJenkins.hpi();
        KitJenkins.kit();
        aws = StandIns.start();
        work = Files.createDirectories(KitJenkins.root().resolve("e2e/target/e2e"));
        Path home = work.resolve("jenkins-home");
        io.jenkins.plugins.kedroemrs.core.util.FileTrees.deleteRecursively(home);
        jenkins = KitJenkins.start(home, List.of(hpi), List.of("-Xmx1g"));
        rest = jenkins.rest();
        JenkinsSetup.awsCredentials(rest);
        JenkinsSetup.globalEnvironment(rest, Map.of("AWS_ENDPOINT_URL", aws.moto.endpoint().toString(),
                "DOCKER_HOST", aws.engine.environment().get("DOCKER_HOST")));
        JenkinsSetup.builtInLabels(rest, "docker python");
        JenkinsSetup.library(rest, KitJenkins.root().resolve("vars"), work.resolve("library-repo"));
    }

    @AfterAll
    void stopJenkins() throws Exception {
        if (jenkins != null) {
            jenkins.close();
        }
    }

    /**
     * The .hpi bundles only what neither Jenkins core nor a plugin it depends on provides (maven-hpi-plugin leaves out
     * what a dependency ships): the engine, the plugin's classes, the one SDK service module without an API plugin, and
     * Jib with the HTTP and auth libraries it brings. A second copy of Jackson (jackson2-api ships databind, TOML and
     * YAML), of the SDK core (aws-java-sdk2-core), of commons-compress or of core's Guava would be loaded beside theirs.
     */
    @Test
    @Order(0)
    void theHpiBundlesOnlyWhatNoPluginProvides() throws Exception {
        List<String> bundled = new java.util.ArrayList<>();
        try (java.util.zip.ZipFile hpi = new java.util.zip.ZipFile(KitJenkins.hpi().toFile())) {
            hpi.stream().map(java.util.zip.ZipEntry::getName).filter(n -> n.startsWith("WEB-INF/lib/") && n.endsWith(".jar"))
                    .map(n -> n.substring("WEB-INF/lib/".length())).forEach(bundled::add);
        }
        assertThat(bundled).anyMatch(n -> n.equals("kedro-emr-serverless.jar")).anyMatch(n -> n.matches("kedro-emrs-core-.*\\.jar"))
                .anyMatch(n -> n.matches("emrserverless-2\\..*\\.jar")).anyMatch(n -> n.matches("jib-core-.*\\.jar"))
                .noneMatch(n -> n.matches("(jackson|guava|commons-compress|httpclient|httpcore|asm|commons-codec|commons-io)-.*"))
                .noneMatch(n -> n.matches("(sdk-core|aws-core|auth|regions|apache-client|ecr|s3|sts|http-client-spi|utils)-2\\..*"));
    }

    @Test
    @Order(1)
    void theSnippetGeneratorOffersTheStepsAndTheirFormsMakeTheirScripts() throws Exception {
        String page = rest.get("pipeline-syntax/");
        for (String step : STEPS) {
            assertThat(page).as("Snippet Generator").contains(">" + step + ": ");
        }
        // Each step's form in a real browser: picked in the Snippet Generator, fields set, "Generate Pipeline Script".
        Browser browser = Browser.require();
        URI url = jenkins.url();
        assertThat(browser.snippet(url, "emrsPreflight", Map.of("applicationId", "00fabcdefgh12345", "executionRoleArn", ROLE,
                "codeUri", "s3://my-bucket/kedro/code")))
                .isEqualTo("emrsPreflight applicationId: '00fabcdefgh12345', codeUri: 's3://my-bucket/kedro/code', executionRoleArn: '"
                        + ROLE + "'");
        assertThat(browser.snippet(url, "kedroPackage", Map.of("projectDir", "spaceflights", "python", ".venv/bin/python",
                "wheelBuilder", "uv", "includeConfLocal", true)))
                .isEqualTo("kedroPackage includeConfLocal: true, projectDir: 'spaceflights', python: '.venv/bin/python', wheelBuilder: 'uv'");
        assertThat(browser.snippet(url, "emrsBuildImage", Map.of("repository", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app",
                "releaseLabel", "emr-7.1.0", "push", false, "builder", "podman")))
                .isEqualTo("emrsBuildImage builder: 'podman', push: false, releaseLabel: 'emr-7.1.0', "
                        + "repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/app'");
        assertThat(browser.snippet(url, "emrsValidateImage", Map.of("image", "127.0.0.1:5000/kedro/app:1", "strict", true,
                "junit", "reports/image.xml")))
                .isEqualTo("emrsValidateImage image: '127.0.0.1:5000/kedro/app:1', junit: 'reports/image.xml', strict: true");
        assertThat(browser.snippet(url, "emrsRestartApp", Map.of("applicationId", "00fabcdefgh12345", "runningJobs", "wait",
                "region", "eu-west-1")))
                .isEqualTo("emrsRestartApp applicationId: '00fabcdefgh12345', region: 'eu-west-1', runningJobs: 'wait'");
        assertThat(browser.snippet(url, "emrsSubmit", Map.of("applicationId", "00fabcdefgh12345", "executionRoleArn", ROLE,
                "pipelines", "data_processing", "wait", false)))
                .isEqualTo("emrsSubmit applicationId: '00fabcdefgh12345', executionRoleArn: '" + ROLE
                        + "', pipelines: 'data_processing', wait: false");
    }

    @Test
    @Order(2)
    void theOneCallLibraryJenkinsfileRunsEveryStage() throws Exception {
        aws.moto.jobScript("SUBMITTED", "SCHEDULED", "RUNNING*2", "SUCCESS");
        String job = "one-call";
        pipelineJob(job, ReadmeJenkinsfiles.read().oneCall(aws));
        int n = rest.build(job);
        JsonNode build = rest.awaitBuild(job, n, BUILD_LIMIT);
        String log = rest.console(job, n);
        assertThat(build.path("result").asText()).as(log).isEqualTo("SUCCESS");
        assertThat(log).contains("(Preflight)", "(Package)", "(Build image)", "(Validate image)", "(Restart application)",
                "(Submit job run)");
        assertThat(log).contains("[emrsPreflight] ==> Preflight: application " + aws.applicationId + " in " + StandIns.REGION)
                .containsPattern("\\[emrsPreflight\\] role +PASS +" + ROLE + " may be assumed by emr-serverless.amazonaws.com")
                .contains("[emrsPreflight] PASSED: ");
        String jobRunId = onlyJobRun();
        assertThat(log).contains("ran " + aws.repository() + "@sha256:", ": job run " + jobRunId + " SUCCESS");
        assertJobRunShown(job, n, jobRunId);
    }

    @Test
    @Order(3)
    void theFiveStepsJenkinsfileRunsEveryStage() throws Exception {
        aws.moto.jobScript("SUBMITTED", "RUNNING", "SUCCESS");
        aws.moto.clearCalls();
        String job = "five-steps";
        pipelineJob(job, ReadmeJenkinsfiles.read().fiveSteps(aws));
        int n = rest.build(job);
        JsonNode build = rest.awaitBuild(job, n, BUILD_LIMIT);
        String log = rest.console(job, n);
        assertThat(build.path("result").asText()).as(log).isEqualTo("SUCCESS");
        assertThat(log).contains("(Package)", "(Build image)", "(Validate image)", "(Restart application)", "(Submit job run)");
        String jobRunId = lastJobRun();
        assertThat(log).contains("job run " + jobRunId + ": SUCCESS, " + JobRunLinks.consoleUrl(StandIns.REGION, aws.applicationId, jobRunId));
        assertThat(jenkins.home().resolve("workspace/" + job + "/reports/image.xml")).content().contains("<testsuite").doesNotContain("<failure");
        assertJobRunShown(job, n, jobRunId);
    }

    @Test
    @Order(4)
    void theFreestyleChainRunsAndItsFormsSaveWhatTheyLoaded() throws Exception {
        aws.moto.jobScript("SUBMITTED", "RUNNING", "SUCCESS");
        aws.moto.clearCalls();
        String job = "freestyle";
        aws.prepareWorkspace(jenkins.home().resolve("workspace").resolve(job));
        rest.createJob(job, freestyleChain());
        // The five build steps' forms in a real browser: the configure page saved unchanged gives the same configuration.
        String before = builders(rest.get("job/" + job + "/config.xml"));
        Browser.require().saveConfiguration(jenkins.url(), job);
        assertThat(builders(rest.get("job/" + job + "/config.xml"))).isEqualTo(before);

        int n = rest.build(job);
        JsonNode build = rest.awaitBuild(job, n, BUILD_LIMIT);
        String log = rest.console(job, n);
        assertThat(build.path("result").asText()).as(log).isEqualTo("SUCCESS");
        assertThat(log).contains("[kedroPackage]", "[emrsBuildImage]", "[emrsValidateImage]", "[emrsRestartApp]", "[emrsSubmit]");
        String jobRunId = lastJobRun();
        assertThat(log).contains(jobRunId);
        assertJobRunShown(job, n, jobRunId);
    }

    @Test
    @Order(5)
    void abortingAWaitingSubmitCancelsTheJobRun() throws Exception {
        aws.moto.jobScript("SUBMITTED", "RUNNING*500", "SUCCESS");
        aws.moto.clearCalls();
        String job = "abort";
        pipelineJob(job, submitOnly());
        int n = rest.build(job);
        rest.awaitConsole(job, n, " is RUNNING", Duration.ofMinutes(5));
        String jobRunId = lastJobRun();
        assertThat(rest.post("job/" + job + "/" + n + "/stop", Map.of()).statusCode()).as("stop").isIn(200, 302);
        JsonNode build = rest.awaitBuild(job, n, Duration.ofMinutes(3));
        String log = rest.console(job, n);
        assertThat(build.path("result").asText()).as(log).isEqualTo("ABORTED");
        assertThat(aws.moto.calls()).as("AWS requests").contains("emr-serverless DELETE /applications/" + aws.applicationId
                + "/jobruns/" + jobRunId);
        assertThat(log).contains("cancelling job run " + jobRunId);
    }

    @Test
    @Order(6)
    void aControllerRestartWhileSubmitWaitsResumesTheSameJobRun() throws Exception {
        aws.moto.jobScript("SUBMITTED", "RUNNING*3", "SUCCESS");
        aws.moto.clearCalls();
        String job = "restart";
        pipelineJob(job, submitOnly());
        int n = rest.build(job);
        rest.awaitConsole(job, n, " is RUNNING", Duration.ofMinutes(5));
        String jobRunId = lastJobRun();
        jenkins.restart();
        JsonNode build = rest.awaitBuild(job, n, BUILD_LIMIT);
        String log = rest.console(job, n);
        assertThat(build.path("result").asText()).as(log).isEqualTo("SUCCESS");
        assertThat(log).contains("Jenkins restarted: carrying on from WATCHING with job run " + jobRunId,
                "job=" + jobRunId + " state=SUCCESS");
        assertThat(aws.moto.calls().stream().filter(c -> c.matches("emr-serverless POST /applications/\\w+/jobruns"))).hasSize(1);
        assertThat(aws.moto.jobRuns()).filteredOn(r -> jobRunId.equals(r.get("jobRunId"))).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("state", "SUCCESS"));
    }

    /** kedroPackage, then emrsSubmit waiting for the job run (credentials by id: the build's environment is gone after a restart). */
    private String submitOnly() {
        return """
                node('python') {
                  def pkg = kedroPackage projectDir: 'spaceflights', python: '.venv/bin/python'
                  def run = emrsSubmit applicationId: '%s', executionRoleArn: '%s', packageResult: pkg,
                      imagePython: '/usr/bin/python3', codeUri: 's3://%s/kedro/code', logUri: 's3://%s/kedro/logs',
                      env: 'emr', pipelines: 'greet', credentialsId: '%s', region: '%s'
                  echo "job=${run.jobRunId} state=${run.state}"
                }
                """.formatted(aws.applicationId, ROLE, StandIns.BUCKET, StandIns.BUCKET, JenkinsSetup.CREDENTIALS_ID, StandIns.REGION);
    }

    private String freestyleChain() throws IOException, InterruptedException {
        String xml;
        try (var in = getClass().getResourceAsStream("freestyle-chain.xml")) {
            xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Map<String, String> values = Map.of("@REPOSITORY@", aws.repository(), "@APPLICATION_ID@", aws.applicationId, "@ROLE@", ROLE,
                "@BASE_IMAGE@", aws.engine.emrBaseImage(StandIns.RELEASE), "@PYTHON_VERSION@", TestImages.PYTHON_VERSION,
                "@PYTHON_DIST@", TestImages.pythonTarball().toString(), "@WHEELHOUSE@",
                TestImages.wheelhouse(List.of("kedro~=1.7.0")).toString());
        for (Map.Entry<String, String> v : values.entrySet()) {
            xml = xml.replace(v.getKey(), Jobs.xml(v.getValue()));
        }
        return xml;
    }

    /** The {@code <builders>} of a config.xml, without whitespace between elements and plugin attributes, empty elements as {@code <x/>}. */
    static String builders(String configXml) {
        String b = configXml.substring(configXml.indexOf("<builders>"), configXml.indexOf("</builders>"));
        return b.replaceAll(" plugin=\"[^\"]*\"", "").replaceAll(">\\s+<", "><").replaceAll("<([\\w.]+)></\\1>", "<$1/>").strip();
    }

    /** The sidebar entry, the job run's page with its state, and the console's links rendered as links. */
    private void assertJobRunShown(String job, int n, String jobRunId) throws IOException, InterruptedException {
        String html = rest.consoleHtml(job, n);
        String console = JobRunLinks.consoleUrl(StandIns.REGION, aws.applicationId, jobRunId);
        assertThat(links(html)).as("links in the console page").contains(console)
                .anySatisfy(l -> assertThat(l).startsWith("https://s3.console.aws.amazon.com/").contains(StandIns.BUCKET));
        String buildPage = rest.get("job/" + job + "/" + n + "/");
        assertThat(buildPage).contains("emrs-job-run-" + jobRunId, "EMR Serverless job run " + jobRunId);
        String page = rest.get("job/" + job + "/" + n + "/emrs-job-run-" + jobRunId + "/");
        assertThat(page).contains("SUCCESS", aws.applicationId, StandIns.REGION, "kedro-emrs-cost", "Billed")
                .containsPattern("[0-9.]+ vCPU-hours, [0-9.]+ GB-hours of memory, [0-9.]+ GB-hours of storage")
                .containsPattern("\\$[0-9.]+ \\(" + StandIns.REGION + ", X86_64, ");
        assertThat(links(page)).contains(console);
        assertThat(rest.console(job, n)).containsPattern("Job run " + jobRunId + ": billed [0-9.]+ vCPU-h, [0-9.]+ GB-h, [0-9.]+ "
                + "storage GB-h ≈ \\$[0-9.]+ \\(" + StandIns.REGION + ", X86_64, list prices of ");
        // The job's EMR Serverless page: the ECharts trends (the plugin's scripts served) and the table with the run.
        String emrs = rest.get("job/" + job + "/emr-serverless/");
        assertThat(emrs).contains("echarts-trend", "kedro-emrs-runs", "emrs-job-run-" + jobRunId);
        assertThat(links(emrs)).contains(console);
        assertThat(rest.get("plugin/echarts-api/js/echarts-api.js")).contains("renderConfigurableTrendChart");
        assertThat(rest.get("job/" + job + "/")).contains("echarts-trend", "emr-serverless");
    }

    private String onlyJobRun() throws IOException, InterruptedException {
        List<Map<String, Object>> runs = aws.moto.jobRuns();
        assertThat(runs).hasSize(1);
        return (String) runs.get(0).get("jobRunId");
    }

    private String lastJobRun() throws IOException, InterruptedException {
        List<Map<String, Object>> runs = aws.moto.jobRuns();
        assertThat(runs).isNotEmpty();
        return (String) runs.get(runs.size() - 1).get("jobRunId");
    }

    /** The targets of the {@code <a href>}s of an HTML page, entities decoded. */
    static List<String> links(String html) {
        Matcher m = Pattern.compile("<a [^>]*href=['\"]([^'\"]+)['\"]").matcher(html);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\""));
        }
        return out;
    }

    /** A Pipeline job with {@code script} (sandboxed, as a user's), its workspace holding the README's project. */
    private void pipelineJob(String name, String script) throws Exception {
        aws.prepareWorkspace(jenkins.home().resolve("workspace").resolve(name));
        rest.createJob(name, Jobs.pipeline("README.md's Jenkinsfile, against the stand-ins", script));
    }

    static String stepClass(String step) {
        String simple = Character.toUpperCase(step.charAt(0)) + step.substring(1) + "Step";
        return "io.jenkins.plugins.kedroemrs.jenkins.steps." + simple;
    }
}
