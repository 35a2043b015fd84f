package io.jenkins.plugins.kedroemrs.core.testing;

import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.CommandResult;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import io.jenkins.plugins.kedroemrs.core.validate.ReleaseProfile;
import io.jenkins.plugins.kedroemrs.core.validate.ReleaseProfiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real container engine from Debian's packages (scripts/setup-peers installs docker.io and podman), one of each per
 * test JVM, lazily started and stopped when the JVM exits. Each has its own state in a temp folder, so tests never
 * touch (or depend on) a system daemon, and every run starts cold:
 *
 * <ul>
 * <li>docker: {@code dockerd --storage-driver overlay2 --iptables=false --ip6tables=false --bridge=none} on its own
 * unix socket, data-root, exec-root and pidfile (vfs when overlay2 does not start). Builds run without network, which the
 * tests need anyway (no internet registry is reachable).</li>
 * <li>podman: no daemon; {@code CONTAINERS_CONF} (runc — crun fails on this host's hybrid cgroup layout — cgroupfs,
 * file events, nofile 20000, nproc 32768) and {@code CONTAINERS_STORAGE_CONF} (overlay under the temp folder).</li>
 * </ul>
 *
 * The base image ({@link TestImages#baseRootfs()}) is imported on first use of {@link #baseImage()}.
 */
public final class ContainerEngine {
    public enum Kind { DOCKER, PODMAN }

    public static final String BASE_IMAGE = "localhost/kedro-emrs-test/emr-like:bookworm";
    private static ContainerEngine docker;
    private static ContainerEngine podman;

    private final Kind kind;
    private final Map<String, String> environment;
    private final Path dir;
    private boolean baseImported;
    private final Set<String> emrBases = new HashSet<>();

    private ContainerEngine(Kind kind, Map<String, String> environment, Path dir) {
        this.kind = kind;
        this.environment = Map.copyOf(environment);
        this.dir = dir;
    }

    private static final String DOCKERD = "/usr/sbin/dockerd";

    /** Whether {@link #docker()} can start a daemon here: dockerd and a docker CLI installed, and running as root. */
    public static boolean dockerAvailable() {
        return Files.isExecutable(Path.of(DOCKERD)) && TestImages.isRoot() && clientOnPath("docker");
    }

    /** A dockerd of this JVM; skips the test (fails it under CI=true) when docker.io is not installed or not root. */
    public static synchronized ContainerEngine docker() throws IOException, InterruptedException {
        if (docker != null) {
            return docker;
        }
        Path dockerd = Path.of(DOCKERD);
        Peers.require(dockerAvailable(), "dockerd and a docker CLI, as root", "run scripts/setup-peers as root (Debian package docker.io)");
        // A short folder: the daemon's unix sockets (containerd's too) live under it and have a 108-byte limit.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "kedroemrs-dockerd");
        Process daemon = null;
        for (String driver : List.of(System.getProperty("kedroemrs.docker.storage", "overlay2"), "vfs")) {
            daemon = startDockerd(dockerd, dir, driver);
            if (daemon != null) {
                break;
            }
        }
        if (daemon == null) {
            throw new IllegalStateException("dockerd did not start; its log: " + Files.readString(dir.resolve("dockerd.log")));
        }
        Process started = daemon;
        docker = new ContainerEngine(Kind.DOCKER, Map.of("DOCKER_HOST", "unix://" + dir.resolve("docker.sock")), dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopDockerd(started, dir)));
        return docker;
    }

    /** Podman of this JVM (no daemon); skips the test (fails it under CI=true) when podman and runc are not installed. */
    public static synchronized ContainerEngine podman() throws IOException {
        if (podman != null) {
            return podman;
        }
        Peers.require(clientOnPath("podman") && Files.isExecutable(Path.of("/usr/sbin/runc")) && TestImages.isRoot(),
                "podman with runc, as root", "run scripts/setup-peers as root (Debian packages podman, runc)");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "kedroemrs-podman");
        Files.writeString(dir.resolve("containers.conf"), """
                [containers]
                default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                runtime = "runc"
                """);
        Files.writeString(dir.resolve("storage.conf"), """
                [storage]
                driver = "overlay"
                graphroot = "%s"
                runroot = "%s"
                """.formatted(dir.resolve("root"), dir.resolve("run")));
        podman = new ContainerEngine(Kind.PODMAN, Map.of("CONTAINERS_CONF", dir.resolve("containers.conf").toString(),
                "CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString()), dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                new ProcessRunner(ProgressListener.NONE).run(Command.of("podman", "system", "reset", "--force")
                        .env(podman.environment).timeout(Duration.ofMinutes(2)).build());
                new ProcessRunner(ProgressListener.NONE).run(Command.of("rm", "-rf", dir.toString()).build());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        return podman;
    }

    /** The engine a builder talks to: podman's, or this JVM's dockerd. */
    public static ContainerEngine of(io.jenkins.plugins.kedroemrs.core.image.ContainerBuilder builder) throws IOException, InterruptedException {
        return builder == io.jenkins.plugins.kedroemrs.core.image.ContainerBuilder.PODMAN ? podman() : docker();
    }

    public Kind kind() {
        return kind;
    }

    /** The CLI's name ({@code docker} or {@code podman}). */
    public String executable() {
        return kind == Kind.DOCKER ? "docker" : "podman";
    }

    /** What points the CLI at this engine: {@code DOCKER_HOST}, or podman's configuration files. */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * A docker CLI that can build with BuildKit: Debian's 20.10 client (built-in BuildKit) or one with the buildx plugin;
     * skips (fails under CI) when there is none.
     */
    public String buildKitClient() throws InterruptedException {
        if (run(List.of("buildx", "version")).succeeded()) {
            return "docker";
        }
        Path debian = Path.of("/usr/bin/docker");
        Peers.require(Files.isExecutable(debian), "a docker CLI with BuildKit (buildx plugin or Debian's docker.io client)",
                "run scripts/setup-peers as root");
        return debian.toString();
    }

    /** Runs the engine's CLI with its environment, output captured. */
    public CommandResult run(List<String> args) throws InterruptedException {
        List<String> all = new ArrayList<>(List.of(executable()));
        all.addAll(args);
        return new ProcessRunner(ProgressListener.NONE).run(Command.of(all).env(environment).captureStdout().quiet()
                .timeout(Duration.ofMinutes(10)).build());
    }

    public CommandResult run(String... args) throws InterruptedException {
        return run(List.of(args));
    }

    /** The EMR-like base image ({@link TestImages#baseRootfs()}), imported into this engine on first use. */
    public synchronized String baseImage() throws IOException, InterruptedException {
        if (!baseImported) {
            Path rootfs = TestImages.baseRootfs();
            run("import", "--change", "USER hadoop:hadoop", "--change", "WORKDIR /home/hadoop", rootfs.toString(), BASE_IMAGE)
                    .orThrow("import of the test base image");
            baseImported = true;
        }
        return BASE_IMAGE;
    }

    /**
     * A base image shaped like EMR Serverless's for {@code releaseLabel}, made offline: {@link #baseImage()} with the
     * files the release profile's checks look for laid over it as stubs ({@link EmrTestImage#baseLayer()}, without
     * its stub of /usr/bin/bash, which the build needs for real), JAVA_HOME, SPARK_HOME, WORKDIR /home/hadoop, the
     * EMR entrypoint and USER hadoop:hadoop. It stands in for public.ecr.aws/emr-serverless/spark/&lt;release&gt;:latest,
     * which is not reachable here, so that an image built on it passes validate-image as a real one would.
     */
    public synchronized String emrBaseImage(String releaseLabel) throws IOException, InterruptedException {
        String tag = "localhost/kedro-emrs-test/emr-shaped:" + releaseLabel;
        if (emrBases.contains(tag)) {
            return tag;
        }
        ReleaseProfile profile = ReleaseProfiles.load(releaseLabel);
        Path context = Files.createTempDirectory("kedro-emrs-emr-base");
        try {
            TestLayer.Blob stubs = EmrTestImage.good(profile).without("/usr/bin/bash").baseLayer().write(context);
            Files.move(stubs.file(), context.resolve("emr-stubs.tar.gz"));
            Files.writeString(context.resolve("Dockerfile"), String.join("\n",
                    "FROM " + baseImage(),
                    "USER root",
                    "ADD emr-stubs.tar.gz /",
                    "RUN chmod 1777 /tmp",
                    "ENV JAVA_HOME=" + EmrTestImage.JAVA_HOME + " SPARK_HOME=" + EmrTestImage.SPARK_HOME,
                    "WORKDIR " + profile.workingDir(),
                    "ENTRYPOINT [\"" + profile.entrypoint() + "\"]",
                    "USER " + profile.user(),
                    ""));
            List<String> build = new ArrayList<>(List.of("build", "-t", tag));
            if (kind == Kind.DOCKER) {
                build.add("--network=none");
            }
            build.add(context.toString());
            run(build).orThrow("building the EMR-shaped test base image " + tag);
        } finally {
            FileTrees.deleteRecursively(context);
        }
        emrBases.add(tag);
        return tag;
    }

    private static Process startDockerd(Path dockerd, Path dir, String driver) throws IOException, InterruptedException {
        Path sock = dir.resolve("docker.sock");
        Path log = dir.resolve("dockerd.log");
        Process p = new ProcessBuilder(dockerd.toString(), "--storage-driver", driver, "--iptables=false", "--ip6tables=false",
                "--bridge=none", "-H", "unix://" + sock, "--data-root", dir.resolve("root-" + driver).toString(), "--exec-root",
                dir.resolve("exec").toString(), "--pidfile", dir.resolve("docker.pid").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(sock) && new ProcessRunner(ProgressListener.NONE).run(Command.of("docker", "version")
                    .env("DOCKER_HOST", "unix://" + sock).quiet().timeout(Duration.ofSeconds(20)).build()).succeeded()) {
                return p;
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        p.waitFor();
        return null;
    }

    private static void stopDockerd(Process p, Path dir) {
        p.destroy();
        try {
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            // Layers are root-owned and may still be mounted for a moment: a plain rm -rf does what is possible.
            new ProcessRunner(ProgressListener.NONE).run(Command.of("rm", "-rf", dir.toString()).quiet().build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean clientOnPath(String name) {
        return io.jenkins.plugins.kedroemrs.core.process.Executables.find(name).isPresent();
    }
}
