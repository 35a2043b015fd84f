package io.jenkins.plugins.kedroemrs.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.testing.FreePorts;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * README's main job as a Jenkins user sees it ({@code scripts/demo --jenkins}): the plugin's {@code .hpi} in a real
 * Jenkins (booted from the Jenkins kit, or one you point at with {@code --jenkins-url}), set up as README says (the
 * {@code kedro-emr-serverless} library from a Git repository of {@code vars/}, an AWS credential, agents labelled
 * {@code docker python}), the README's one-call Jenkinsfile as a Pipeline job, run against the same local stand-ins as
 * {@code scripts/demo} (the EMR Serverless stand-in over moto, a registry on loopback, a Docker engine of this demo).
 * Prints the build's URL and keeps Jenkins up until Ctrl-C ({@code --exit}: stop at the end). {@code --screenshots DIR}
 * saves the build page, its console and the job run's page as PNGs (README's pictures). Not a test.
 *
 * <p>Usage: {@code JenkinsDemo [--exit] [--port N] [--jenkins-url URL] [--screenshots DIR]}
 */
public final class JenkinsDemo {
    static final String JOB = "kedro-emr-serverless-demo";

    private JenkinsDemo() {
    }

    public static void main(String[] args) throws Exception {
        boolean exit = false;
        int port = 8080;
        URI external = null;
        Path screenshots = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--exit" -> exit = true;
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--jenkins-url" -> external = URI.create(args[++i].endsWith("/") ? args[i] : args[i] + "/");
                case "--screenshots" -> screenshots = Path.of(args[++i]).toAbsolutePath();
                default -> {
                    System.err.println("usage: scripts/demo --jenkins [--exit] [--port N] [--jenkins-url URL] [--screenshots DIR]");
                    System.exit(2);
                }
            }
        }
        System.exit(run(exit, port, external, screenshots));
    }

    /** What the stand-in bills the demo's runs (moto leaves a run's billed figures at zero): one entry per build. */
    static final List<Map<String, Object>> USAGE = List.of(
            Map.of("vCPUHour", 1.42, "memoryGBHour", 5.68, "storageGBHour", 0, "executionSeconds", 243, "queuedMs", 12000),
            Map.of("vCPUHour", 1.61, "memoryGBHour", 6.44, "storageGBHour", 0, "executionSeconds", 276, "queuedMs", 41000),
            Map.of("vCPUHour", 1.35, "memoryGBHour", 5.40, "storageGBHour", 0.2, "executionSeconds", 231, "queuedMs", 8000));

    private static int run(boolean exit, int port, URI external, Path screenshots) throws Exception {
        say("Starting the stand-ins: moto_server with the EMR Serverless lifecycle (moto's fake keys, nothing reaches AWS), "
                + "an OCI registry on loopback, a Docker engine of this demo");
        StandIns aws = StandIns.start();
        Path work = Files.createDirectories(KitJenkins.root().resolve("e2e/target/jenkins-demo"));
        KitJenkins booted = null;
        JenkinsClient rest;
        Path workspace;
        if (external == null) {
            Path home = work.resolve("jenkins-home");
            FileTrees.deleteRecursively(home);
            int free = isFree(port) ? port : FreePorts.pick();
            say("Booting Jenkins 2.528.3 (the Jenkins kit) with the plugin " + KitJenkins.hpi() + " on port " + free);
            booted = KitJenkins.start(home, free, List.of(KitJenkins.hpi()), List.of());
            rest = booted.rest();
            workspace = home.resolve("workspace").resolve(JOB);
        } else {
            say("Using the Jenkins at " + external + " (it must have this plugin, Pipeline, Declarative Pipeline and Git)");
            rest = new JenkinsClient(external);
            workspace = null;
        }
        say("Setting Jenkins up as README says: credential '" + JenkinsSetup.CREDENTIALS_ID + "', labels 'docker python', "
                + "the library '" + JenkinsSetup.LIBRARY + "' from a Git repository of vars/, AWS_ENDPOINT_URL and DOCKER_HOST "
                + "pointing at the stand-ins");
        JenkinsSetup.awsCredentials(rest);
        JenkinsSetup.globalEnvironment(rest, Map.of("AWS_ENDPOINT_URL", aws.moto.endpoint().toString(),
                "DOCKER_HOST", aws.engine.environment().get("DOCKER_HOST")));
        JenkinsSetup.builtInLabels(rest, "docker python");
        JenkinsSetup.library(rest, KitJenkins.root().resolve("vars"), work.resolve("library-repo"));

        say("Creating the Pipeline job '" + JOB + "' from README's one-call Jenkinsfile (values of the stand-ins filled in)");
        String script = ReadmeJenkinsfiles.read().oneCall(aws);
        System.out.println(script);
        if (workspace != null) {
            aws.prepareWorkspace(workspace);
        } else {
            say("Put a Kedro project in the job's workspace as spaceflights/ with a .venv beside it (the README's layout)");
        }
        rest.createJob(JOB, Jobs.pipeline("README.md's one-call Jenkinsfile, against local stand-ins for AWS", script));
        aws.moto.jobScript("SUBMITTED", "SCHEDULED", "RUNNING*3", "SUCCESS");
        aws.moto.jobUsage(USAGE.get(0));
        int n = rest.build(JOB);
        URI build = rest.url("job/" + JOB + "/" + n + "/");
        say("Build " + build + " runs (console: " + build + "console)");
        JsonNode done = rest.awaitBuild(JOB, n, Duration.ofMinutes(30));
        String result = done.path("result").asText();
        String log = rest.console(JOB, n);
        String jobRun = log.lines().filter(l -> l.contains(": job run ")).findFirst().orElse("");
        say("Build #" + n + ": " + result + (jobRun.isEmpty() ? "" : " — " + jobRun.strip()));
        List<Map<String, Object>> runs = aws.moto.jobRuns();
        if (!runs.isEmpty()) {
            String id = (String) runs.get(runs.size() - 1).get("jobRunId");
            say("The job run's page in Jenkins: " + build + "emrs-job-run-" + id + "/");
            if (screenshots != null) {
                Files.createDirectories(screenshots);
                Browser browser = Browser.require();
                browser.screenshot(build, screenshots.resolve("jenkins-build.png"), 1280, 520, Browser.Part.TOP);
                browser.screenshot(rest.url("job/" + JOB + "/" + n + "/console"), screenshots.resolve("jenkins-console.png"), 1280,
                        900, Browser.Part.BOTTOM);
                browser.screenshot(rest.url("job/" + JOB + "/" + n + "/emrs-job-run-" + id + "/"), screenshots.resolve("jenkins-job-run.png"),
                        1280, 720, Browser.Part.TOP);
                say("Two more builds, so that the job's EMR Serverless page has a trend (the stand-in bills each run as "
                        + "scripted here: its queue time, run time and billed vCPU- and GB-hours)");
                for (Map<String, Object> usage : USAGE.subList(1, USAGE.size())) {
                    aws.moto.jobUsage(usage);
                    int m = rest.build(JOB);
                    say("Build #" + m + ": " + rest.awaitBuild(JOB, m, Duration.ofMinutes(30)).path("result").asText());
                }
                browser.screenshot(rest.url("job/" + JOB + "/"), screenshots.resolve("jenkins-job.png"), 1280, 640, Browser.Part.TOP);
                browser.screenshot(rest.url("job/" + JOB + "/emr-serverless/"), screenshots.resolve("jenkins-emr-serverless.png"),
                        1280, 900, Browser.Part.TOP);
                say("Screenshots in " + screenshots);
            }
        }
        if (booted != null && !exit) {
            say("Jenkins stays up at " + booted.url() + " — Ctrl-C stops it and the stand-ins");
            new CountDownLatch(1).await();
        }
        if (booted != null) {
            booted.close();
        }
        return "SUCCESS".equals(result) ? 0 : 1;
    }

    private static boolean isFree(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void say(String text) {
        System.out.println();
        System.out.println("### " + text);
        System.out.flush();
    }
}
