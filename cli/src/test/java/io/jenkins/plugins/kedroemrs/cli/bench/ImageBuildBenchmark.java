package io.jenkins.plugins.kedroemrs.cli.bench;

import io.jenkins.plugins.kedroemrs.core.image.BuildKitMode;
import io.jenkins.plugins.kedroemrs.core.image.ContainerBuilder;
import io.jenkins.plugins.kedroemrs.core.image.ImageBuilder;
import io.jenkins.plugins.kedroemrs.core.image.ImageRequest;
import io.jenkins.plugins.kedroemrs.core.image.ImageResult;
import io.jenkins.plugins.kedroemrs.core.image.PythonSetup;
import io.jenkins.plugins.kedroemrs.core.kedro.KedroPackager;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageRequest;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.testing.ContainerEngine;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.RegistryBlobs;
import io.jenkins.plugins.kedroemrs.core.testing.SampleKedroProject;
import io.jenkins.plugins.kedroemrs.core.testing.TestImages;
import io.jenkins.plugins.kedroemrs.core.testing.TestPython;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cold build vs rebuild after a code-only change, on the same machine in the same run, with a fresh engine (nothing
 * cached but the base image), and the bytes the rebuild pushed vs the whole image. Goals: rebuild ≤ 5 % of cold; bytes
 * pushed ≤ wheel layers + conf layers + manifest (+ the image config, which names every layer and so always changes).
 *
 * <pre>
 * scripts/bench image all                                                    every builder side by side, jib for amd64 and arm64
 * scripts/bench image [docker-legacy|docker-buildkit|podman]                 prebuilt interpreter (the test stand-in)
 * scripts/bench image pyenv PYENV_TARBALL PYTHON_TGZ [docker-legacy|...]     pyenv compiling CPython in the image (offline:
 *                                                                            local pyenv and CPython source tarballs)
 * </pre>
 * Not a test: it prints figures.
 */
public final class ImageBuildBenchmark {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("all")) {
            compare();
            return;
        }
        boolean pyenv = args.length > 0 && args[0].equals("pyenv");
        String engineName = pyenv ? (args.length > 3 ? args[3] : "docker-legacy") : (args.length > 0 ? args[0] : "docker-legacy");
        ContainerEngine engine = ContainerEngine.of(engineName.equals("podman") ? ContainerBuilder.PODMAN : ContainerBuilder.DOCKER);
        LocalRegistry registry = LocalRegistry.shared();
        Path work = Files.createTempDirectory("kedro-emrs-image-bench");
        try {
            TestPython.require();
            Path project = SampleKedroProject.create(work);
            PackageResult first = pack(project, work.resolve("dist1"));
            Path wheels = TestImages.wheelhouse(List.of("kedro~=1.7.0"));
            String base = pyenv ? buildToolsBase(engine) : engine.baseImage();
            PythonSetup python = pyenv
                    ? new PythonSetup(PythonSetup.Installer.PYENV, TestImages.PYTHON_VERSION, null, null, null, args[1], args[2], null, false)
                    : PythonSetup.prebuilt(TestImages.PYTHON_VERSION, TestImages.pythonTarball().toString());
            ImageReference repo = ImageReference.parse(registry.host() + "/bench/greeter-" + engineName + (pyenv ? "-pyenv" : ""));

            long t0 = System.nanoTime();
            ImageResult cold = build(engineName, engine, first, repo, base, python, wheels, ProgressListener.NONE);
            double coldS = (System.nanoTime() - t0) / 1e9;
            RegistryBlobs.Manifest m1 = RegistryBlobs.manifest(registry, repo.repository(), cold.tags().get(0));

            Path node = project.resolve("src/greeter/pipelines/greet/__init__.py");
            Files.writeString(node, Files.readString(node).replace("hello", "hi again"));
            PackageResult second = pack(project, work.resolve("dist2"));
            Map<String, Long> before = RegistryBlobs.onDisk(registry);
            long t1 = System.nanoTime();
            Timeline timeline = new Timeline();
            ImageResult rebuilt = build(engineName, engine, second, repo, base, python, wheels, timeline);
            double rebuildS = (System.nanoTime() - t1) / 1e9;
            Map<String, Long> added = new HashMap<>(RegistryBlobs.onDisk(registry));
            added.keySet().removeAll(before.keySet());
            RegistryBlobs.Manifest m2 = RegistryBlobs.manifest(registry, repo.repository(), rebuilt.tags().get(0));

            int n = m2.layers().size();
            long wholeImage = m2.totalLayerBytes() + added.getOrDefault(m2.config(), 0L) + m2.size();
            long wheelLayers = m2.layerSizes().get(n - 2) + m2.layerSizes().get(n - 1);
            long confLayers = m2.layerSizes().get(n - 4) + m2.layerSizes().get(n - 3);
            long configBytes = added.getOrDefault(m2.config(), 0L);
            long pushed = added.values().stream().mapToLong(Long::longValue).sum();
            long budget = wheelLayers + confLayers + m2.size() + configBytes;

            System.out.printf(Locale.ROOT, "%nImage build benchmark: %s, Python installer %s, base %s, %d layers%n", engineName,
                    python.installer().id(), base, n);
            System.out.printf(Locale.ROOT, "cold build + push          %8.1f s   (build %.1f s, push %.1f s)%n", coldS,
                    cold.buildMillis() / 1000.0, cold.pushMillis() / 1000.0);
            System.out.printf(Locale.ROOT, "rebuild + push, code change %7.1f s   (build %.1f s, push %.1f s)%n", rebuildS,
                    rebuilt.buildMillis() / 1000.0, rebuilt.pushMillis() / 1000.0);
            System.out.printf(Locale.ROOT, "rebuild / cold             %8.1f %%   goal <= 5 %%: %s%n", 100 * rebuildS / coldS,
                    rebuildS <= 0.05 * coldS ? "met" : "NOT met");
            System.out.printf(Locale.ROOT, "layers reused              %8d of %d (first %d identical)%n", sameLayers(m1, m2), n,
                    sameLayers(m1, m2));
            System.out.printf(Locale.ROOT, "bytes pushed on rebuild    %,10d B in %d blobs (%s)%n", pushed, added.size(), added.keySet().stream()
                    .map(d -> d.equals(m2.config()) ? "config" : d.equals(m2.digest()) ? "manifest" : "layer " + m2.layers().indexOf(d))
                    .sorted().toList());
            System.out.printf(Locale.ROOT, "whole image (compressed)   %,10d B   pushed = %.2f %% of it%n", wholeImage, 100.0 * pushed / wholeImage);
            System.out.printf(Locale.ROOT, "wheel %,d + conf %,d + manifest %,d + config %,d = %,d B   goal pushed <= that: %s%n",
                    wheelLayers, confLayers, m2.size(), configBytes, budget, pushed <= budget ? "met" : "NOT met");
            System.out.println("rebuild timeline (s since start: phase):");
            timeline.lines.forEach(l -> System.out.println("  " + l));
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    /** One builder's figures: a cold build + push, a rebuild + push after a code-only change, what that rebuild pushed. */
    record Row(String builder, double coldS, double rebuildS, long pushedBytes, int pushedBlobs, long imageBytes) {
    }

    /**
     * {@code scripts/bench image all}: every builder on the same project, the same registry and the same machine in one
     * run — docker (legacy builder), docker (BuildKit), podman, and jib for linux/amd64 and linux/arm64 (built on this
     * x86 machine) — each offline from a local wheelhouse, each cold (a fresh engine, a fresh jib cache), then rebuilt
     * after the same code-only change. The Dockerfile builders start from the test base already in the engine; jib reads
     * the EMR-shaped base from the registry. Prints a table and the ratios to jib.
     */
    static void compare() throws Exception {
        LocalRegistry registry = LocalRegistry.shared();
        Path work = Files.createTempDirectory("kedro-emrs-image-bench");
        List<Row> rows = new java.util.ArrayList<>();
        Map<String, Timeline> timelines = new java.util.LinkedHashMap<>();
        try {
            TestPython.require();
            Path template = SampleKedroProject.create(Files.createDirectories(work.resolve("template")));
            List<String> requirements = List.of("kedro~=1.7.0");
            String jibBase = TestImages.emrBaseIndex(registry, "emr-7.1.0");
            for (String builder : List.of("docker-legacy", "docker-buildkit", "podman", "jib", "jib-arm64")) {
                Path project = SampleKedroProject.copy(template, Files.createDirectories(work.resolve(builder)).resolve("project"));
                boolean jib = builder.startsWith("jib");
                io.jenkins.plugins.kedroemrs.core.image.Architecture arch = builder.equals("jib-arm64")
                        ? io.jenkins.plugins.kedroemrs.core.image.Architecture.ARM64 : io.jenkins.plugins.kedroemrs.core.image.Architecture.X86_64;
                ContainerEngine engine = jib ? null : ContainerEngine.of(builder.equals("podman") ? ContainerBuilder.PODMAN : ContainerBuilder.DOCKER);
                Path wheels = jib ? TestImages.wheelhouse(requirements, arch) : TestImages.wheelhouse(requirements);
                PythonSetup python = PythonSetup.prebuilt(TestImages.PYTHON_VERSION, TestImages.pythonTarball(arch).toString());
                ImageReference repo = ImageReference.parse(registry.host() + "/bench-all/greeter-" + builder);
                System.setProperty("kedroemrs.jib.cache", work.resolve(builder + "/jib-cache").toString());
                PackageResult first = pack(project, work.resolve(builder + "/dist1"));
                long t0 = System.nanoTime();
                Timeline coldTimeline = new Timeline();
                if (jib) {
                    timelines.put(builder, coldTimeline);
                }
                ImageResult cold = jib ? buildJib(first, repo, jibBase, python, wheels, arch, coldTimeline)
                        : build(builder, engine, first, repo, engine.baseImage(), python, wheels, ProgressListener.NONE);
                double coldS = (System.nanoTime() - t0) / 1e9;
                Path node = project.resolve("src/greeter/pipelines/greet/__init__.py");
                Files.writeString(node, Files.readString(node).replace("hello", "hi again"));
                PackageResult second = pack(project, work.resolve(builder + "/dist2"));
                Map<String, Long> before = RegistryBlobs.onDisk(registry);
                long t1 = System.nanoTime();
                ImageResult rebuilt = jib ? buildJib(second, repo, jibBase, python, wheels, arch, ProgressListener.NONE)
                        : build(builder, engine, second, repo, engine.baseImage(), python, wheels, ProgressListener.NONE);
                double rebuildS = (System.nanoTime() - t1) / 1e9;
                Map<String, Long> added = new HashMap<>(RegistryBlobs.onDisk(registry));
                added.keySet().removeAll(before.keySet());
                RegistryBlobs.Manifest m = RegistryBlobs.manifest(registry, repo.repository(), rebuilt.tags().get(0));
                rows.add(new Row(builder + (jib ? " (" + arch.platform() + ")" : ""), coldS, rebuildS,
                        added.values().stream().mapToLong(Long::longValue).sum(), added.size(), m.totalLayerBytes()));
                System.out.printf(Locale.ROOT, "%s: cold %.1f s, rebuild %.1f s%n", builder, coldS, rebuildS);
            }
        } finally {
            System.clearProperty("kedroemrs.jib.cache");
            FileTrees.deleteRecursively(work);
        }
        Row jib = rows.stream().filter(r -> r.builder().startsWith("jib (linux/amd64")).findFirst().orElseThrow();
        Row arm = rows.stream().filter(r -> r.builder().contains("arm64")).findFirst().orElseThrow();
        System.out.println();
        System.out.println("| builder | cold build + push | rebuild + push after a code change | pushed on the rebuild | image layers |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %.1f s (%.2f× jib) | %.2f s (%.1f× jib) | %,d B in %d blobs | %,d B |%n", r.builder(), r.coldS(),
                    r.coldS() / jib.coldS(), r.rebuildS(), r.rebuildS() / jib.rebuildS(), r.pushedBytes(), r.pushedBlobs(), r.imageBytes());
        }
        boolean fastest = rows.stream().filter(r -> !r.builder().startsWith("jib")).allMatch(r -> r.coldS() > jib.coldS());
        System.out.printf(Locale.ROOT, "%ngoals: cold jib faster than every Dockerfile builder: %s; code-only rebuild under 2 s: %s (%.2f s);"
                + " arm64 as fast as amd64: %s (%.2f×)%n", fastest ? "met" : "NOT met", jib.rebuildS() < 2 ? "met" : "NOT met", jib.rebuildS(),
                arm.coldS() <= jib.coldS() * 1.1 ? "met" : "NOT met", arm.coldS() / jib.coldS());
        System.out.println(qemuNote());
        timelines.forEach((b, t) -> {
            System.out.println("cold " + b + " timeline (s since start: phase):");
            t.lines.forEach(l -> System.out.println("  " + l));
        });
    }

    /** Whether a Dockerfile build of an arm64 image could run here (QEMU through binfmt_misc), and if not, why not. */
    static String qemuNote() {
        Path handler = Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64");
        if (Files.exists(handler)) {
            return "docker/podman for linux/arm64: a QEMU handler is registered (" + handler + "), but no arm64 EMR-shaped base with "
                    + "a shell exists here to run the Dockerfile's RUN steps on; not measured";
        }
        return "docker/podman for linux/arm64 not measured: no QEMU handler for aarch64 is registered with binfmt_misc on this machine "
                + "(qemu-user-static is not installed and binfmt_misc is not mounted), so a Dockerfile's RUN steps cannot execute arm64 "
                + "binaries here; jib runs nothing inside the image and needs neither";
    }

    private static ImageResult buildJib(PackageResult pr, ImageReference repo, String base, PythonSetup python, Path wheels,
            io.jenkins.plugins.kedroemrs.core.image.Architecture arch, ProgressListener listener) throws Exception {
        return new ImageBuilder(listener, null).build(ImageRequest.builder(pr, repo).builder(ContainerBuilder.JIB)
                .executable(TestPython.path().toString()).architecture(arch).releaseLabel("emr-7.1.0").baseImage(base).python(python)
                .pipFindLinks(wheels).pipNoIndex(true).timeout(Duration.ofMinutes(60)).build());
    }

    private static ImageResult build(String engineName, ContainerEngine engine, PackageResult pr, ImageReference repo, String base,
            PythonSetup python, Path wheels, ProgressListener listener) throws Exception {
        return new ImageBuilder(listener, null).build(ImageRequest.builder(pr, repo).push(true)
                .builder(engineName.equals("podman") ? ContainerBuilder.PODMAN : ContainerBuilder.DOCKER)
                .executable(engineName.equals("docker-buildkit") ? engine.buildKitClient() : engine.executable())
                .buildKit(engineName.equals("docker-buildkit") ? BuildKitMode.ON : BuildKitMode.OFF)
                .builderEnvironment(engine.environment()).builderArgs(List.of("--network=none")).baseImage(base).python(python)
                .pipFindLinks(wheels).pipNoIndex(true).timeout(Duration.ofMinutes(60)).build());
    }

    /** Seconds since the rebuild started at each phase, to see where a rebuild spends its time. */
    private static final class Timeline implements ProgressListener {
        final long start = System.nanoTime();
        final List<String> lines = new java.util.ArrayList<>();

        @Override
        public synchronized void phase(String title) {
            lines.add(String.format(Locale.ROOT, "%6.2f  %s", (System.nanoTime() - start) / 1e9, title));
        }

        @Override
        public synchronized void info(String message) {
            lines.add(String.format(Locale.ROOT, "%6.2f    %s", (System.nanoTime() - start) / 1e9, message));
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public synchronized void output(String source, String line) {
            if (line.startsWith("Step ") || line.startsWith("STEP ") || line.startsWith("#") && line.contains(" DONE ")) {
                lines.add(String.format(Locale.ROOT, "%6.2f      | %s", (System.nanoTime() - start) / 1e9, line));
            }
        }
    }

    private static int sameLayers(RegistryBlobs.Manifest a, RegistryBlobs.Manifest b) {
        int i = 0;
        while (i < Math.min(a.layers().size(), b.layers().size()) && a.layers().get(i).equals(b.layers().get(i))) {
            i++;
        }
        return i;
    }

    private static PackageResult pack(Path project, Path out) throws Exception {
        return new KedroPackager(null).pack(PackageRequest.of(project).withPython(TestPython.path().toString()).withOutDir(out));
    }

    /** For the pyenv measurement: the test base plus a compiler and CPython's build dependencies (debootstrap, cached). */
    private static String buildToolsBase(ContainerEngine engine) throws Exception {
        Path tar = TestImages.cacheDir().resolve("bookworm-build-tools-v1-rootfs.tar");
        ProcessRunner runner = new ProcessRunner(ProgressListener.NONE);
        if (!Files.isRegularFile(tar)) {
            Path root = Files.createTempDirectory(TestImages.cacheDir(), ".build-tools-");
            runner.run(Command.of("/usr/sbin/debootstrap", "--variant=minbase", "--include=gcc,make,patch,libc6-dev,libssl-dev,"
                    + "zlib1g-dev,libbz2-dev,libreadline-dev,libsqlite3-dev,libffi-dev,liblzma-dev,xz-utils,curl,ca-certificates",
                    "bookworm", root.resolve("rootfs").toString(), "http://deb.debian.org/debian").timeout(Duration.ofMinutes(20)).build())
                    .orThrow("debootstrap of the build-tools base");
            Files.writeString(root.resolve("rootfs/etc/passwd"), "hadoop:x:999:999::/home/hadoop:/bin/sh\n", java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(root.resolve("rootfs/etc/group"), "hadoop:x:999:\n", java.nio.file.StandardOpenOption.APPEND);
            Files.createDirectories(root.resolve("rootfs/home/hadoop"));
            runner.run(Command.of("chown", "999:999", root.resolve("rootfs/home/hadoop").toString()).build()).orThrow("chown");
            runner.run(Command.of("tar", "--numeric-owner", "-C", root.resolve("rootfs").toString(), "-cf", tar.toString(), ".").build())
                    .orThrow("tar of the build-tools base");
            runner.run(Command.of("rm", "-rf", root.toString()).build());
        }
        String image = "localhost/kedro-emrs-test/emr-like-build-tools:bookworm";
        engine.run("import", "--change", "USER hadoop:hadoop", "--change", "WORKDIR /home/hadoop", tar.toString(), image)
                .orThrow("import of the build-tools base");
        return image;
    }

    private ImageBuildBenchmark() {
    }
}
