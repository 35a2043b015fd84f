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
 * scripts/bench image [docker-legacy|docker-buildkit|podman]                 prebuilt interpreter (the test stand-in)
 * scripts/bench image pyenv PYENV_TARBALL PYTHON_TGZ [docker-legacy|...]     pyenv compiling CPython in the image (offline:
 *                                                                            local pyenv and CPython source tarballs)
 * </pre>
 * Not a test: it prints figures.
 */
public final class ImageBuildBenchmark {
    public static void main(String[] args) throws Exception {
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
