package io.jenkins.plugins.kedroemrs.cli.bench;

import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.oci.LayerIndexCache;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryAuth;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryClient;
import io.jenkins.plugins.kedroemrs.core.oci.ResolvedImage;
import io.jenkins.plugins.kedroemrs.core.oci.VerifyingInputStream;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.testing.EmrTestImage;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.TestImage;
import io.jenkins.plugins.kedroemrs.core.testing.TestLayer;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import io.jenkins.plugins.kedroemrs.core.validate.ImageValidator;
import io.jenkins.plugins.kedroemrs.core.validate.ReleaseProfiles;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationReport;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationRequest;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times {@code validate-image} on an image in the local registry against pulling the same image whole (every blob
 * downloaded and verified against its digest, as {@code docker pull} does before it can run anything), interleaved,
 * in one JVM, and prints the medians and their ratios. Goal: ratio ≤ 0.2. Three validations are timed: an image
 * without a layer cache, the same with an empty cache (what a fresh agent does; the headers read are kept), and the
 * next build's image (same base and Python layers, a new wheel and conf) with that cache, which is what a CI agent
 * validates build after build.
 *
 * <p>The image has the shape of a custom EMR Serverless image: one big base layer (Spark and Hadoop jars of
 * incompressible content, plus bulk no check reads, as /usr/lib64 and /usr/share/aws are in EMR's images), written in
 * the order Docker's layer differ writes (directory by directory, names sorted), then a custom Python layer, the
 * project's wheel and its conf.
 *
 * <p>Run it with {@code scripts/bench validate [runs] [jar KiB] [bulk MiB] [python MiB] [small files]}; not a test.
 */
public final class ValidateBenchmark {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long jarBytes = (args.length > 1 ? Long.parseLong(args[1]) : 768) * 1024;
        long bulkBytes = (args.length > 2 ? Long.parseLong(args[2]) : 256) * 1024 * 1024;
        long pythonBytes = (args.length > 3 ? Long.parseLong(args[3]) : 24) * 1024 * 1024;
        int smallFiles = args.length > 4 ? Integer.parseInt(args[4]) : 30_000;
        LocalRegistry registry = LocalRegistry.shared();
        Path work = Files.createTempDirectory("kedro-emrs-validate-bench");
        try {
            long t0 = System.nanoTime();
            TestImage image = EmrTestImage.good(ReleaseProfiles.load("emr-6.10.0")).sized(jarBytes, bulkBytes)
                    .smallFiles(smallFiles).pythonSized(pythonBytes).build(work);
            String ref = registry.host() + "/bench/emr-custom:1";
            image.push(registry.host(), "bench/emr-custom", "1");
            System.out.printf(Locale.ROOT, "Built and pushed %s in %.1f s%n", ref, (System.nanoTime() - t0) / 1e9);
            long total = 0;
            for (TestLayer.Blob b : image.layers()) {
                total += b.size();
                System.out.printf(Locale.ROOT, "  layer %s  %8.1f MiB%n", b.digest().substring(7, 19), b.size() / 1048576.0);
            }
            System.out.printf(Locale.ROOT, "  total        %8.1f MiB as stored (%d jars of %d KiB, bulk %d MiB, %d small files, "
                    + "python layer +%d MiB)%n", total / 1048576.0, jarCount(), jarBytes / 1024, bulkBytes >> 20, smallFiles, pythonBytes >> 20);

            // The next build: same base and Python layers (Docker reuses them), a new wheel and conf on top.
            String site = "/usr/.pyenv/versions/3.11.9/lib/python3.11/site-packages/";
            TestImage next = image.derive(2, List.of(
                    new TestLayer().file(site + "greeter/__init__.py", 0644, "v2").file(site + "greeter-0.2.dist-info/METADATA", 0644, "Version: 0.2")
                            .write(work),
                    new TestLayer().file("/home/hadoop/conf/base/catalog.yml", 0644, "v2: {}\n").write(work)));
            String nextRef = registry.host() + "/bench/emr-custom:2";
            next.push(registry.host(), "bench/emr-custom", "2");

            ValidationRequest request = request(ref, EmrTestImage.VERSION);
            ValidationRequest nextRequest = request(nextRef, "0.2");
            List<Double> cold = new ArrayList<>();
            List<Double> coldCaching = new ArrayList<>();
            List<Double> warm = new ArrayList<>();
            List<Double> pull = new ArrayList<>();
            List<Double> pullNext = new ArrayList<>();
            ValidationReport coldReport = null;
            ValidationReport cachingReport = null;
            ValidationReport warmReport = null;
            for (int i = -1; i < runs; i++) { // the first round warms the JIT and the page cache for everyone
                Path cacheDir = Files.createDirectories(work.resolve("cache" + i));
                LayerIndexCache cache = new LayerIndexCache(cacheDir);
                long a = System.nanoTime();
                coldReport = validate(null, request);
                double tCold = seconds(a);
                a = System.nanoTime();
                cachingReport = validate(cache, request);
                double tCaching = seconds(a);
                a = System.nanoTime();
                warmReport = validate(cache, nextRequest);
                double tWarm = seconds(a);
                a = System.nanoTime();
                check(pullWhole(ImageReference.parse(ref)), image);
                double tPull = seconds(a);
                a = System.nanoTime();
                check(pullWhole(ImageReference.parse(nextRef)), next);
                double tPullNext = seconds(a);
                FileTrees.deleteRecursively(cacheDir);
                if (i >= 0) {
                    cold.add(tCold);
                    coldCaching.add(tCaching);
                    warm.add(tWarm);
                    pull.add(tPull);
                    pullNext.add(tPullNext);
                }
            }
            System.out.printf(Locale.ROOT, "%n%d interleaved runs each, in one JVM, registry on loopback:%n", runs);
            System.out.printf(Locale.ROOT, "%-58s %9s %9s %9s %7s%n", "", "median s", "min s", "max s", "ratio");
            row("pull whole, build 1 (all blobs, digest-verified)", pull, median(pull));
            row("validate-image build 1, no layer cache", cold, median(pull));
            row("validate-image build 1, empty layer cache (kept after)", coldCaching, median(pull));
            row("pull whole, build 2 (new wheel and conf layers)", pullNext, median(pullNext));
            row("validate-image build 2, layer cache from build 1", warm, median(pullNext));
            describe("build 1, no cache   ", coldReport, image);
            describe("build 1, empty cache", cachingReport, image);
            describe("build 2, warm cache ", warmReport, next);
            System.out.printf(Locale.ROOT, "ratio = validate / pull of the same image; goal <= 0.2%n");
            System.out.printf(Locale.ROOT, "first validation (no cache) %.3f, next build (warm cache) %.3f%n",
                    median(cold) / median(pull), median(warm) / median(pullNext));
        } finally {
            FileTrees.deleteRecursively(work);
            FileTrees.deleteRecursively(registry.storage()); // this JVM's registry: its blobs are the benchmark's
        }
    }

    private static long jarCount() {
        return ReleaseProfiles.load("emr-6.10.0").fileSets().stream()
                .flatMap(f -> f.prefixes().stream().map(p -> EmrTestImage.name(f, p))).filter(n -> n.endsWith(".jar")).count();
    }

    private static ValidationRequest request(String ref, String version) {
        return ValidationRequest.of(ref).withReleaseLabel("emr-6.10.0").withArchitecture("X86_64")
                .withPython(EmrTestImage.PYTHON).withPackage(EmrTestImage.PACKAGE, version);
    }

    private static ValidationReport validate(LayerIndexCache cache, ValidationRequest request) throws Exception {
        ValidationReport r = new ImageValidator(ProgressListener.NONE, cache).validate(request, RegistryAuth.anonymous());
        if (!r.passed()) {
            throw new IllegalStateException("the benchmark image should pass: " + String.join("\n", r.table()));
        }
        return r;
    }

    private static void check(long pulled, TestImage image) {
        long total = image.layers().stream().mapToLong(TestLayer.Blob::size).sum();
        if (pulled != total) {
            throw new IllegalStateException("pulled " + pulled + " of " + total + " bytes");
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void describe(String what, ValidationReport r, TestImage image) {
        System.out.printf(Locale.ROOT, "%s read %6.1f of %6.1f MiB (%d of %d layers opened, %d from the cache, %d read to the end, %d pass%s)%n",
                what, r.read().bytesRead() / 1048576.0, r.read().layerBytes() / 1048576.0, r.read().layersOpened(), image.layers().size(),
                r.read().layersCached(), r.read().layersVerified(), r.read().passes(), r.read().passes() == 1 ? "" : "es");
    }

    /** What {@code docker pull} must do before anything runs: every blob downloaded and checked. Returns the layer bytes. */
    static long pullWhole(ImageReference ref) throws Exception {
        RegistryClient client = new RegistryClient(RegistryAuth.anonymous());
        ResolvedImage image = client.resolve(ref, null); // manifest and config, both digest-verified
        long bytes = 0;
        for (int i = 0; i < image.layers().size(); i++) {
            try (VerifyingInputStream in = image.openLayer(i)) {
                in.transferTo(OutputStream.nullOutputStream());
                if (!in.verified()) {
                    throw new IllegalStateException("layer " + i + " not verified");
                }
                bytes += in.bytesRead();
            }
        }
        return bytes;
    }

    private static void row(String name, List<Double> v, double reference) {
        System.out.printf(Locale.ROOT, "%-58s %9.3f %9.3f %9.3f %7.3f%n", name, median(v), v.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                v.stream().mapToDouble(Double::doubleValue).max().orElse(0), median(v) / reference);
    }

    private static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private ValidateBenchmark() {
    }
}
