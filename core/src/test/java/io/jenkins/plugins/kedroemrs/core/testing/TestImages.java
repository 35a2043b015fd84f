package io.jenkins.plugins.kedroemrs.core.testing;

import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The offline stand-ins an image build test needs, made on this machine from Debian packages (no internet registry is
 * reachable) and cached between runs in {@code ~/.cache/kedro-emrs-tests} (or {@code -Dkedroemrs.testcache}):
 *
 * <ul>
 * <li>{@link #baseRootfs()}: a Debian bookworm root (debootstrap minbase with libpython3.11-stdlib) with a {@code hadoop}
 * user and {@code /home/hadoop} like the EMR Serverless images, and <b>no</b> Python executable, so the only interpreter in
 * a built image is the custom one. Imported as the base image by {@link ContainerEngine#baseImage()}.</li>
 * <li>{@link #pythonTarball()}: a stand-in for a python-build-standalone {@code install_only} tarball ({@code python/bin},
 * {@code python/lib/python3.11}, pip) made from the same root's CPython {@link #PYTHON_VERSION}, for
 * {@code --python-installer prebuilt}. Debian's CPython keeps its site layout: pip installs under
 * {@code <home>/local/lib/python3.11/dist-packages}.</li>
 * <li>{@link #wheelhouse(List)}: wheels of the given requirements built on the host (same CPython 3.11) with
 * {@code pip wheel}, for {@code --pip-find-links --pip-no-index}, since pip inside the build has no network.</li>
 * </ul>
 */
public final class TestImages {
    /** Bump to rebuild the cached base after changing how it is made. */
    static final String KEY = "bookworm-emr-like-v1";
    public static final String PYTHON_VERSION = "3.11.2";
    private static final ProcessRunner RUNNER = new ProcessRunner(ProgressListener.NONE);

    private TestImages() {
    }

    public static Path cacheDir() throws IOException {
        String configured = System.getProperty("kedroemrs.testcache");
        Path dir = configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".cache", "kedro-emrs-tests");
        return Files.createDirectories(dir);
    }

    /** The base root as a tar (numeric owners), made once per machine. */
    public static synchronized Path baseRootfs() throws IOException, InterruptedException {
        Path tar = cacheDir().resolve(KEY + "-rootfs.tar");
        if (!Files.isRegularFile(tar)) {
            make();
        }
        return tar;
    }

    /** The python-build-standalone-like interpreter tarball, made once per machine. */
    public static synchronized Path pythonTarball() throws IOException, InterruptedException {
        Path tgz = cacheDir().resolve(KEY + "-cpython-" + PYTHON_VERSION + "-install_only.tar.gz");
        if (!Files.isRegularFile(tgz)) {
            make();
        }
        return tgz;
    }

    /** A folder of wheels for {@code requirements}, built once per requirement set. */
    public static synchronized Path wheelhouse(List<String> requirements) throws IOException, InterruptedException {
        Path python = TestPython.require();
        String key = Hashing.sha256(String.join("\n", requirements).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        Path dir = cacheDir().resolve("wheelhouse-" + key);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path tmp = Files.createTempDirectory(cacheDir(), ".wheelhouse-");
        Path req = tmp.resolve("requirements.txt");
        Files.write(req, requirements);
        Path wheels = Files.createDirectory(tmp.resolve("wheels"));
        RUNNER.run(Command.of(python.toString(), "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "-w",
                wheels.toString(), "-r", req.toString()).timeout(Duration.ofMinutes(10)).build()).orThrow("pip wheel for the test wheelhouse");
        Files.move(wheels, dir, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.deleteRecursively(tmp);
        return dir;
    }

    /**
     * A folder of wheels of {@code requirements} for {@code arch} (CPython 3.11, manylinux), downloaded once with
     * {@code pip download --only-binary=:all: --platform …}: an offline index for builder jib's cross-platform installs.
     */
    public static synchronized Path wheelhouse(List<String> requirements, io.jenkins.plugins.kedroemrs.core.image.Architecture arch)
            throws IOException, InterruptedException {
        Path python = TestPython.require();
        String cpu = arch == io.jenkins.plugins.kedroemrs.core.image.Architecture.ARM64 ? "aarch64" : "x86_64";
        String key = Hashing.sha256((String.join("\n", requirements) + " " + cpu).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        Path dir = cacheDir().resolve("wheelhouse-" + cpu + "-" + key);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path tmp = Files.createTempDirectory(cacheDir(), ".wheelhouse-");
        List<String> cmd = new java.util.ArrayList<>(List.of(python.toString(), "-m", "pip", "download", "--quiet",
                "--disable-pip-version-check", "--only-binary=:all:", "--implementation", "cp", "--python-version", "3.11",
                "--platform", "manylinux2014_" + cpu, "--platform", "manylinux_2_28_" + cpu, "-d", tmp.resolve("wheels").toString()));
        cmd.addAll(requirements);
        RUNNER.run(Command.of(cmd).timeout(Duration.ofMinutes(10)).build()).orThrow("pip download for the " + cpu + " wheelhouse");
        Files.move(tmp.resolve("wheels"), dir, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.deleteRecursively(tmp);
        return dir;
    }

    private static void make() throws IOException, InterruptedException {
        Peers.require(isRoot() && Files.isExecutable(Path.of("/usr/sbin/debootstrap")), "debootstrap run as root",
                "run scripts/setup-peers as root; the test base image is a Debian root made by debootstrap");
        Path work = Files.createTempDirectory(cacheDir(), ".make-");
        try {
            Path root = work.resolve("rootfs");
            RUNNER.run(Command.of("/usr/sbin/debootstrap", "--variant=minbase", "--include=python3.11-minimal,libpython3.11-stdlib",
                    "bookworm", root.toString(), System.getProperty("kedroemrs.debian-mirror", "http://deb.debian.org/debian"))
                    .label("debootstrap").timeout(Duration.ofMinutes(15)).build()).orThrow("debootstrap of the test base image");
            String version = RUNNER.run(Command.of(root.resolve("usr/bin/python3.11").toString(), "-c",
                    "import platform; print(platform.python_version())").captureStdout().build()).orThrow("python3.11 of the test root")
                    .stdout().strip();
            if (!version.equals(PYTHON_VERSION)) {
                throw new IllegalStateException("bookworm's CPython is " + version + ", TestImages.PYTHON_VERSION says " + PYTHON_VERSION);
            }
            Path tgz = interpreterTarball(root, work, "the test interpreter");
            // The base: no Python executable at all, a hadoop user (uid 999 here) owning /home/hadoop, like the EMR images.
            try (Stream<Path> s = Files.list(root.resolve("usr/bin"))) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith("python")).toList()) {
                    Files.delete(p);
                }
            }
            Files.writeString(root.resolve("etc/passwd"), "hadoop:x:999:999::/home/hadoop:/bin/sh\n", StandardOpenOption.APPEND);
            Files.writeString(root.resolve("etc/group"), "hadoop:x:999:\n", StandardOpenOption.APPEND);
            Path home = Files.createDirectories(root.resolve("home/hadoop"));
            RUNNER.run(Command.of("chown", "999:999", home.toString()).build()).orThrow("chown of /home/hadoop");
            Path rootTar = work.resolve("rootfs.tar");
            RUNNER.run(Command.of("tar", "--numeric-owner", "-C", root.toString(), "-cf", rootTar.toString(), ".").build())
                    .orThrow("tar of the test base image");
            Files.move(tgz, cacheDir().resolve(KEY + "-cpython-" + PYTHON_VERSION + "-install_only.tar.gz"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.move(rootTar, cacheDir().resolve(KEY + "-rootfs.tar"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            RUNNER.run(Command.of("rm", "-rf", work.toString()).build());
        }
    }

    /**
     * The interpreter tarball made from a Debian root's CPython ({@code usr/bin/python3.11}, {@code usr/lib/python3.11}):
     * {@code python/bin/python3.11} (+ {@code python3}), {@code python/lib/python3.11} without the EXTERNALLY-MANAGED
     * marker, and pip; written as {@code python.tar.gz} in {@code work}.
     */
    private static Path interpreterTarball(Path root, Path work, String what) throws IOException, InterruptedException {
        Path py = Files.createDirectories(work.resolve("dist/python"));
        Files.createDirectories(py.resolve("bin"));
        Files.copy(root.resolve("usr/bin/python3.11"), py.resolve("bin/python3.11"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(py.resolve("bin/python3"), Path.of("python3.11"));
        copyTree(root.resolve("usr/lib/python3.11"), Files.createDirectories(py.resolve("lib/python3.11")));
        Files.deleteIfExists(py.resolve("lib/python3.11/EXTERNALLY-MANAGED"));
        RUNNER.run(Command.of(TestPython.require().toString(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                "--target", py.resolve("local/lib/python3.11/dist-packages").toString(), "pip")
                .timeout(Duration.ofMinutes(5)).build()).orThrow("pip for " + what);
        Path tgz = work.resolve("python.tar.gz");
        RUNNER.run(Command.of("tar", "--numeric-owner", "--owner=0", "--group=0", "-C", work.resolve("dist").toString(), "-czf",
                tgz.toString(), "python").build()).orThrow("tar of " + what);
        return tgz;
    }

    private static void copyTree(Path from, Path to) throws IOException, InterruptedException {
        RUNNER.run(Command.of("cp", "-a", from + "/.", to.toString()).build()).orThrow("cp -a " + from);
    }

    /**
     * The interpreter tarball for {@code arch}: {@link #pythonTarball()} for X86_64; for ARM64 the same layout made from
     * Debian bookworm's arm64 packages of the same CPython (downloaded with {@code debootstrap --download-only
     * --arch=arm64} and unpacked with {@code dpkg-deb -x}: nothing arm64 is run, none of it needs emulation), a stand-in
     * for python-build-standalone's aarch64 build.
     */
    public static synchronized Path pythonTarball(io.jenkins.plugins.kedroemrs.core.image.Architecture arch)
            throws IOException, InterruptedException {
        if (arch == io.jenkins.plugins.kedroemrs.core.image.Architecture.X86_64) {
            return pythonTarball();
        }
        Path tgz = cacheDir().resolve(KEY + "-cpython-" + PYTHON_VERSION + "-aarch64-install_only.tar.gz");
        if (Files.isRegularFile(tgz)) {
            return tgz;
        }
        Peers.require(isRoot() && Files.isExecutable(Path.of("/usr/sbin/debootstrap")), "debootstrap run as root",
                "run scripts/setup-peers as root; the arm64 test interpreter comes from Debian's arm64 packages");
        Path work = Files.createTempDirectory(cacheDir(), ".make-arm64-");
        try {
            Path root = work.resolve("root");
            RUNNER.run(Command.of("/usr/sbin/debootstrap", "--download-only", "--arch=arm64", "--variant=minbase",
                    "--include=python3.11-minimal,libpython3.11-stdlib", "bookworm", root.toString(),
                    System.getProperty("kedroemrs.debian-mirror", "http://deb.debian.org/debian"))
                    .label("debootstrap --download-only --arch=arm64").timeout(Duration.ofMinutes(15)).build())
                    .orThrow("downloading the arm64 CPython packages");
            Path x = Files.createDirectories(work.resolve("x"));
            try (Stream<Path> debs = Files.list(root.resolve("var/cache/apt/archives"))) {
                for (Path deb : debs.filter(p -> p.getFileName().toString().matches("(lib)?python3\\.11-(minimal|stdlib)_.*_arm64\\.deb")).toList()) {
                    RUNNER.run(Command.of("dpkg-deb", "-x", deb.toString(), x.toString()).build()).orThrow("dpkg-deb -x " + deb.getFileName());
                }
            }
            Path out = interpreterTarball(x, work, "the arm64 test interpreter");
            Files.move(out, tgz, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return tgz;
        } finally {
            RUNNER.run(Command.of("rm", "-rf", work.toString()).build());
        }
    }

    /**
     * An EMR-shaped base image in {@code registry} as a two-platform index ({@code linux/amd64} + {@code linux/arm64}),
     * as public.ecr.aws serves the EMR Serverless images (not reachable here): the debootstrap root, the EMR files the
     * checks look for ({@link EmrTestImage}), {@code /home/hadoop} owned by hadoop (999) and {@code /tmp} 01777, and the
     * EMR config (USER hadoop:hadoop, WORKDIR, ENTRYPOINT, JAVA_HOME, SPARK_HOME). The arm64 entry has the same layers
     * (x86_64 binaries): it stands in for the arm64 image, which is only read here (its files and config), never run.
     *
     * @return the index's reference, e.g. {@code 127.0.0.1:5000/kedro-emrs-test/emr-base:emr-7.1.0}
     */
    public static synchronized String emrBaseIndex(LocalRegistry registry, String releaseLabel) throws IOException, InterruptedException {
        String repo = "kedro-emrs-test/emr-base";
        io.jenkins.plugins.kedroemrs.core.validate.ReleaseProfile profile = io.jenkins.plugins.kedroemrs.core.validate.ReleaseProfiles
                .load(releaseLabel);
        Path dir = Files.createTempDirectory("kedro-emrs-emr-base");
        try {
            TestLayer.Blob rootfs = gzipped(baseRootfs());
            TestLayer.Blob stubs = EmrTestImage.good(profile).without("/usr/bin/bash").baseLayer().write(dir);
            TestLayer.Blob fix = new TestLayer().dir("/tmp", 01777, 0, 0).dir("/home/hadoop", 0755, 999, 999).write(dir);
            List<TestImage> images = new java.util.ArrayList<>();
            for (String arch : List.of("amd64", "arm64")) {
                TestImage image = new TestImage().platform("linux", arch, arch.equals("arm64") ? "v8" : null).layer(rootfs).layer(stubs)
                        .layer(fix).user(profile.user()).workingDir(profile.workingDir()).entrypoint(profile.entrypoint())
                        .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                        .env("JAVA_HOME", EmrTestImage.JAVA_HOME).env("SPARK_HOME", EmrTestImage.SPARK_HOME);
                image.push(registry.host(), repo, releaseLabel + "-" + arch);
                images.add(image);
            }
            TestImage.pushIndex(registry.host(), repo, releaseLabel, false, images);
            return registry.host() + "/" + repo + ":" + releaseLabel;
        } finally {
            FileTrees.deleteRecursively(dir);
        }
    }

    /** A tar as a gzip layer blob, compressed once and cached beside it. */
    private static TestLayer.Blob gzipped(Path tar) throws IOException, InterruptedException {
        Path gz = tar.resolveSibling(tar.getFileName() + ".gz");
        if (!Files.isRegularFile(gz)) {
            Path tmp = Files.createTempFile(cacheDir(), ".gz-", ".part");
            RUNNER.run(Command.of("sh", "-c", "gzip -n -c < '" + tar + "' > '" + tmp + "'").timeout(Duration.ofMinutes(5)).build())
                    .orThrow("gzip of " + tar.getFileName());
            Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return new TestLayer.Blob(gz, "sha256:" + Hashing.sha256(gz), "sha256:" + Hashing.sha256(tar), Files.size(gz), true);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
