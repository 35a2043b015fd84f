package io.jenkins.plugins.kedroemrs.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.e2e.JenkinsClient;
import io.jenkins.plugins.kedroemrs.e2e.JenkinsSetup;
import io.jenkins.plugins.kedroemrs.e2e.Jobs;
import io.jenkins.plugins.kedroemrs.e2e.KitJenkins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What waiting costs the controller ({@code scripts/bench jenkins-waits [N] [window-seconds]}): N concurrent Pipeline
 * builds in one real Jenkins (the kit's, with the built {@code .hpi}), each waiting on a job run of the EMR Serverless
 * stand-in that stays RUNNING, measured once all N wait: threads alive in the controller (and which pools they are in),
 * heap after a full GC per waiting build, GetJobRun calls per second the stand-in received, and the controller's CPU.
 * Two ways of waiting, each in a Jenkins of its own (fresh home, same plugins, same stand-in):
 * <ul>
 *   <li>{@code emrsSubmit}: ours, a poll on Jenkins' timer between pieces, no thread held;</li>
 *   <li>the baseline {@code emrsWaitThreadPerWait} ({@code e2e/thread-per-wait}): a SynchronousNonBlocking step looping
 *       GetJobRun + sleep 5 s, as pipeline-aws and aws-codebuild wait, after {@code emrsSubmit wait: false}.</li>
 * </ul>
 * Not a test: it prints a table (README's "What waiting costs the controller").
 */
public final class JenkinsWaitsBenchmark {
    static final String REGION = "eu-west-1";
    static final String BUCKET = "bench-bucket";
    static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/emr-serverless-job";
    static final String JOB = "waits";
    static final String ENTRYPOINT = "s3://" + BUCKET + "/code/entrypoint_bench.py";
    static final Duration SETTLE = Duration.ofSeconds(30);

    /** What the controller reports of itself: threads by pool, heap after GC, CPU time so far. */
    static final String PROBE = """
            import java.lang.management.ManagementFactory
            System.gc(); Thread.sleep(300); System.gc(); Thread.sleep(300)
            def pools = new TreeMap()
            Thread.getAllStackTraces().keySet().each { t ->
              def name = t.name.replaceAll(/\\d+/, '#').replaceAll(/\\[.*\\]/, '[…]')
              pools[name] = (pools[name] ?: 0) + 1
            }
            def heap = ManagementFactory.memoryMXBean.heapMemoryUsage.used
            def cpu = ManagementFactory.operatingSystemMXBean.processCpuTime
            print groovy.json.JsonOutput.toJson([threads: ManagementFactory.threadMXBean.threadCount, heap: heap, cpu: cpu,
                nanos: System.nanoTime(), pools: pools])
            """;

    record Probe(int threads, long heap, long cpuNanos, long nanos, Map<String, Integer> pools) {
        static Probe parse(String json) throws java.io.IOException {
            JsonNode n = Json.MAPPER.readTree(json.strip());
            Map<String, Integer> pools = new TreeMap<>();
            n.path("pools").fields().forEachRemaining(e -> pools.put(e.getKey(), e.getValue().asInt()));
            return new Probe(n.path("threads").asInt(), n.path("heap").asLong(), n.path("cpu").asLong(), n.path("nanos").asLong(), pools);
        }
    }

    /**
     * Jenkins' own thread pools (by name, as {@link #PROBE} normalises them): the remoting pool for blocking work (where
     * emrsSubmit's polls run), the timer, Jetty's request threads, Pipeline's per-build VM threads and core's others.
     */
    static final List<String> JENKINS_POOLS = List.of("Computer.threadPoolForRemoting", "jenkins.util.Timer", "qtp",
            "Handling ", "CpsVmExecutorService", "FilePath.localPool", "ForkJoinPool.commonPool", "AtmostOneTaskExecutor");

    record Figures(String way, int waits, Probe idle, Probe loaded, double callsPerSecond, double cpuCores, Duration ramp) {
        int extraThreads() {
            return loaded.threads - idle.threads;
        }

        /** Threads more than idle outside Jenkins' own pools: what the way of waiting adds itself. */
        int extraThreadsOutsideJenkinsPools() {
            return outside(loaded) - outside(idle);
        }

        private static int outside(Probe p) {
            return p.pools().entrySet().stream().filter(e -> JENKINS_POOLS.stream().noneMatch(e.getKey()::startsWith))
                    .mapToInt(Map.Entry::getValue).sum();
        }

        double heapPerWaitKiB() {
            return (loaded.heap - idle.heap) / 1024.0 / waits;
        }
    }

    private JenkinsWaitsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int waits = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        Duration window = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 60);
        Path baseline = Path.of(System.getProperty("kedroemrs.baselineHpi", KitJenkins.root().resolve("e2e/thread-per-wait/target/emrs-thread-per-wait.hpi").toString()));
        if (!Files.isRegularFile(baseline)) {
            throw new IllegalStateException("the baseline plugin " + baseline + " is missing: run scripts/bench jenkins-waits (it builds it)");
        }
        EmrServerlessMoto moto = EmrServerlessMoto.shared();
        List<Figures> all = new ArrayList<>();
        for (String way : List.of("emrsSubmit", "thread-per-wait")) {
            all.add(measure(way, waits, window, moto, baseline));
        }
        print(all, window);
    }

    private static Figures measure(String way, int waits, Duration window, EmrServerlessMoto moto, Path baseline) throws Exception {
        moto.reset();
        String app;
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings().withRegion(REGION))) {
            aws.s3().createBucket(b -> b.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint(REGION)));
            aws.s3().putObject(p -> p.bucket(BUCKET).key("code/entrypoint_bench.py"),
                    RequestBody.fromString("from bench.__main__ import main\nimport sys\nmain(sys.argv[1:])\n"));
            app = aws.emrServerless().createApplication(c -> c.name("bench").releaseLabel("emr-7.1.0").type("SPARK")).applicationId();
        }
        Path home = KitJenkins.root().resolve("e2e/target/bench-jenkins-waits/" + way);
        FileTrees.deleteRecursively(home);
        Files.createDirectories(home);
        say(way + ": booting Jenkins with the plugin and the baseline plugin");
        try (KitJenkins jenkins = KitJenkins.start(home, List.of(KitJenkins.hpi(), baseline), List.of("-Xmx3g", "-XX:+UseG1GC"))) {
            JenkinsClient rest = jenkins.rest();
            JenkinsSetup.awsCredentials(rest);
            // The baseline reads its keys from the environment (moto's fixed fake keys); emrsSubmit uses the credential.
            JenkinsSetup.globalEnvironment(rest, Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_REGION", REGION,
                    "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
            rest.createJob(JOB, parameterized(Jobs.pipeline("scripts/bench jenkins-waits: " + way, script(way, app))));

            say(way + ": a warm-up build (classes loaded, pools started), then the idle controller");
            moto.jobScript("SUBMITTED", "RUNNING", "SUCCESS");
            schedule(rest, 1, 0);
            rest.awaitBuild(JOB, 1, Duration.ofMinutes(3));
            Thread.sleep(5_000);
            Probe idle = probe(rest);

            say(way + ": " + waits + " builds, each waiting on a job run that stays RUNNING");
            moto.jobScript("SUBMITTED", "RUNNING");
            Instant rampStart = Instant.now();
            schedule(rest, waits, 1);
            awaitWaiting(rest, moto, waits, Duration.ofMinutes(20));
            Duration ramp = Duration.between(rampStart, Instant.now());
            say(way + ": all " + waits + " wait (" + ramp.toSeconds() + " s after the first was scheduled); settling " + SETTLE.toSeconds() + " s, then "
                    + window.toSeconds() + " s measured");
            Thread.sleep(SETTLE.toMillis());
            moto.clearCalls();
            Probe start = probe(rest);
            Thread.sleep(window.toMillis());
            long calls = moto.calls().stream().filter(c -> c.matches("emr-serverless GET /applications/\\w+/jobruns/\\w+")).count();
            Probe end = probe(rest);
            double seconds = (end.nanos - start.nanos) / 1e9;
            double cores = (end.cpuNanos - start.cpuNanos) / 1e9 / seconds;
            Figures f = new Figures(way, waits, idle, end, calls / seconds, cores, ramp);
            say(way + ": " + f.extraThreads() + " threads more than idle, " + String.format(Locale.ROOT, "%.1f", f.heapPerWaitKiB())
                    + " KiB heap per wait, " + String.format(Locale.ROOT, "%.1f", f.callsPerSecond()) + " GetJobRun/s, "
                    + String.format(Locale.ROOT, "%.2f", cores) + " cores; stopping the builds");
            rest.script("jenkins.model.Jenkins.get().getItemByFullName('" + JOB + "').builds.findAll { it.building }.each { it.doStop() }\nprint 'ok'");
            rest.awaitJson("job/" + JOB + "/api/json?tree=builds[building]", j -> {
                for (JsonNode b : j.path("builds")) {
                    if (b.path("building").asBoolean()) {
                        return false;
                    }
                }
                return true;
            }, Duration.ofMinutes(10));
            return f;
        }
    }

    /** The Pipeline of one waiting build: ours waits in emrsSubmit; the baseline submits without waiting, then waits in its thread. */
    static String script(String way, String app) {
        String submit = "emrsSubmit applicationId: '%s', executionRoleArn: '%s', entrypointUri: '%s', kedroVersion: '1.0.0', "
                + "imagePython: '/usr/bin/python3', env: 'emr', pipelines: 'bench', credentialsId: '%s', region: '%s'";
        submit = submit.formatted(app, ROLE, ENTRYPOINT, JenkinsSetup.CREDENTIALS_ID, REGION);
        if (way.equals("emrsSubmit")) {
            return "def run = " + submit + "\necho \"job run ${run.jobRunId} ${run.state}\"\n";
        }
        return "def run = " + submit + ", wait: false\n"
                + "def state = emrsWaitThreadPerWait applicationId: '" + app + "', jobRunId: run.jobRunId\n"
                + "echo \"job run ${run.jobRunId} ${state}\"\n";
    }

    /** A parameter I, so that Jenkins' queue does not fold the N builds into one. */
    static String parameterized(String configXml) {
        return configXml.replace("<keepDependencies>false</keepDependencies>", """
                <keepDependencies>false</keepDependencies>
                  <properties>
                    <hudson.model.ParametersDefinitionProperty>
                      <parameterDefinitions>
                        <hudson.model.StringParameterDefinition><name>I</name><defaultValue>0</defaultValue></hudson.model.StringParameterDefinition>
                      </parameterDefinitions>
                    </hudson.model.ParametersDefinitionProperty>
                  </properties>""");
    }

    private static void schedule(JenkinsClient rest, int n, int from) throws Exception {
        String out = rest.script("""
                import hudson.model.*
                def job = jenkins.model.Jenkins.get().getItemByFullName('%s')
                (%d..<%d).each { i -> job.scheduleBuild2(0, new ParametersAction(new StringParameterValue('I', "${i}"))) }
                print 'ok'
                """.formatted(JOB, from, from + n));
        if (!out.strip().endsWith("ok")) {
            throw new IllegalStateException("scheduling the builds: " + out);
        }
    }

    /** Until the stand-in holds {@code n} RUNNING job runs and each has been polled at least once since. */
    private static void awaitWaiting(JenkinsClient rest, EmrServerlessMoto moto, int n, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            long running = moto.jobRuns().stream().filter(r -> "RUNNING".equals(r.get("state"))).count();
            if (running >= n) {
                return;
            }
            Thread.sleep(2_000);
        }
        throw new IllegalStateException("not all " + n + " builds were waiting after " + limit);
    }

    private static Probe probe(JenkinsClient rest) throws Exception {
        return Probe.parse(rest.script(PROBE));
    }

    private static void print(List<Figures> all, Duration window) {
        System.out.println();
        System.out.println("| way of waiting | waits | threads idle → waiting | more, outside Jenkins' pools | heap after GC idle → waiting | heap per wait | GetJobRun/s | controller CPU (cores) |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Figures f : all) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d → %d (%+d) | %+d | %.0f → %.0f MiB | %.0f KiB | %.1f | %.3f |%n", f.way(), f.waits(),
                    f.idle().threads(), f.loaded().threads(), f.extraThreads(), f.extraThreadsOutsideJenkinsPools(),
                    f.idle().heap() / 1048576.0, f.loaded().heap() / 1048576.0, f.heapPerWaitKiB(), f.callsPerSecond(), f.cpuCores());
        }
        Figures ours = all.get(0);
        Figures base = all.get(1);
        System.out.printf(Locale.ROOT, "%nratios emrsSubmit / thread-per-wait: threads more %+d / %+d (outside Jenkins' pools %+d / %+d), "
                + "heap per wait %.2f, GetJobRun/s %.2f, CPU %.2f (window %d s, from %d s after the last build started waiting)%n",
                ours.extraThreads(), base.extraThreads(), ours.extraThreadsOutsideJenkinsPools(), base.extraThreadsOutsideJenkinsPools(),
                ours.heapPerWaitKiB() / base.heapPerWaitKiB(), ours.callsPerSecond() / base.callsPerSecond(),
                ours.cpuCores() / base.cpuCores(), window.toSeconds(), SETTLE.toSeconds());
        for (Figures f : all) {
            System.out.println();
            System.out.println("threads by name, " + f.way() + " (idle → waiting; only the names whose count changed):");
            TreeMap<String, Integer> names = new TreeMap<>(f.idle().pools());
            f.loaded().pools().keySet().forEach(k -> names.putIfAbsent(k, 0));
            names.forEach((name, idle) -> {
                int loaded = f.loaded().pools().getOrDefault(name, 0);
                if (loaded != idle) {
                    System.out.printf("  %4d → %4d  %s%n", idle, loaded, name);
                }
            });
        }
        boolean threadsOk = ours.extraThreadsOutsideJenkinsPools() <= 2;
        boolean heapOk = ours.heapPerWaitKiB() <= 1024;
        System.out.printf("%ngoal (500 waits: <= 2 threads more than idle beyond Jenkins' own pools, <= 1 MiB heap per wait): "
                + "threads %s, heap %s%n", threadsOk ? "met" : "NOT met", heapOk ? "met" : "NOT met");
    }

    private static void say(String text) {
        System.out.println("### " + text);
        System.out.flush();
    }
}
