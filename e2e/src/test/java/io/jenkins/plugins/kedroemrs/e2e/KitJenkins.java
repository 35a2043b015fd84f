package io.jenkins.plugins.kedroemrs.e2e;

import io.jenkins.plugins.kedroemrs.core.testing.FreePorts;
import io.jenkins.plugins.kedroemrs.core.testing.Peers;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Jenkins 2.528.3 as a process of its own, booted by the Jenkins kit's {@code bin/run-jenkins} with the kit's
 * plugins (the {@code bom-2.528.x} line, built from source) and ours: no set-up wizard, no security, on loopback.
 * {@link #restart} is a controller restart as an administrator's service manager does it: Jenkins is stopped (it saves
 * its running Pipelines), then started again on the same {@code JENKINS_HOME} and port.
 *
 * <p>The kit is looked for as {@code scripts/jenkins-env} does: {@code -Dkedroemrs.jenkinsKit}, {@code $JENKINS_KIT},
 * {@code ../shared/jenkins} next to this checkout, {@code /work/shared/jenkins}. Without it (or without the built
 * {@code .hpi}) the test is skipped, and fails under {@code CI=true}.
 */
public final class KitJenkins implements AutoCloseable {
    private final Path kit;
    private final Path home;
    private final int port;
    private final List<Path> plugins;
    private final List<String> javaOptions;
    private final JenkinsClient client;
    private volatile boolean running;
    private final Thread stopAtExit = new Thread(this::stopQuietly, "stop Jenkins");

    private KitJenkins(Path kit, Path home, int port, List<Path> plugins, List<String> javaOptions) {
        this.kit = kit;
        this.home = home;
        this.port = port;
        this.plugins = List.copyOf(plugins);
        this.javaOptions = List.copyOf(javaOptions);
        this.client = new JenkinsClient(URI.create("http://127.0.0.1:" + port + "/"));
    }

    /** The repository's root (where scripts/ and plugin/ are). */
    public static Path root() {
        return Path.of(System.getProperty("kedroemrs.root", "..")).toAbsolutePath().normalize();
    }

    /** The Jenkins kit (skips the test without one, fails it under CI=true). */
    public static Path kit() {
        List<String> candidates = new ArrayList<>();
        candidates.add(System.getProperty("kedroemrs.jenkinsKit", ""));
        candidates.add(System.getenv().getOrDefault("JENKINS_KIT", ""));
        candidates.add(root().resolve("../shared/jenkins").normalize().toString());
        candidates.add("/work/shared/jenkins");
        for (String c : candidates) {
            if (!c.isBlank() && Files.isExecutable(Path.of(c, "bin", "run-jenkins"))) {
                return Path.of(c).toAbsolutePath().normalize();
            }
        }
        Peers.require(false, "the Jenkins kit (bin/run-jenkins)", "set JENKINS_KIT to its folder; tried " + candidates);
        throw new IllegalStateException("unreachable");
    }

    /** The plugin's .hpi as scripts/build-plugin leaves it (skips the test without it, fails it under CI=true). */
    public static Path hpi() {
        String given = System.getProperty("kedroemrs.hpi", "");
        Path hpi = given.isBlank() ? root().resolve("plugin/target/kedro-emr-serverless.hpi") : Path.of(given);
        Peers.require(Files.isRegularFile(hpi), "the plugin's .hpi (" + hpi + ")", "run scripts/build-plugin");
        return hpi;
    }

    /** Boots Jenkins on a free port with the kit's plugins and {@code plugins}; answers once it is fully up. */
    public static KitJenkins start(Path home, List<Path> plugins, List<String> javaOptions) throws IOException, InterruptedException {
        return start(home, FreePorts.pick(), plugins, javaOptions);
    }

    /** Boots Jenkins on {@code port} with the kit's plugins and {@code plugins}; answers once it is fully up. */
    public static KitJenkins start(Path home, int port, List<Path> plugins, List<String> javaOptions) throws IOException,
            InterruptedException {
        KitJenkins jenkins = new KitJenkins(kit(), home, port, plugins, javaOptions);
        Runtime.getRuntime().addShutdownHook(jenkins.stopAtExit);
        jenkins.boot();
        return jenkins;
    }

    private void boot() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kit.resolve("bin/run-jenkins").toString(), "start", "--home", home.toString(),
                "--port", String.valueOf(port)));
        for (Path p : plugins) {
            command.add("--plugin");
            command.add(p.toString());
        }
        for (String o : javaOptions) {
            command.add("--java-opt");
            command.add(o);
        }
        run(command, Duration.ofMinutes(6));
        running = true;
    }

    /** Stops Jenkins as a service manager does (it saves what runs) and boots it again on the same home and port. */
    public void restart() throws IOException, InterruptedException {
        stop();
        boot();
    }

    public void stop() throws IOException, InterruptedException {
        if (running) {
            run(List.of(kit.resolve("bin/run-jenkins").toString(), "stop", "--home", home.toString()), Duration.ofMinutes(2));
            running = false;
        }
    }

    public URI url() {
        return client.base();
    }

    public JenkinsClient rest() {
        return client;
    }

    public Path home() {
        return home;
    }

    /** The controller's log (JENKINS_HOME/jenkins.log), for failure messages. */
    public String log() throws IOException {
        Path log = home.resolve("jenkins.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** The process id of the running controller. */
    public long pid() throws IOException {
        return Long.parseLong(Files.readString(home.resolve(".run-jenkins.pid")).strip());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs (or ran) anyway
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (IOException e) {
            System.err.println("could not stop Jenkins in " + home + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(List<String> command, Duration limit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end in " + limit);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "):\n"
                    + new String(out, StandardCharsets.UTF_8));
        }
    }
}
