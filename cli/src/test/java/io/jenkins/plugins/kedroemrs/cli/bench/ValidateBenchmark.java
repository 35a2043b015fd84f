package io.jenkins.plugins.kedroemrs.cli.bench;

import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
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
 * in one JVM, and prints the medians and their ratio. Goal: ratio ≤ 0.2.
 *
 * <p>The image has the shape of a custom EMR Serverless image: one big base layer (Spark and Hadoop jars of
 * incompressible content, plus bulk no check reads, as /usr/lib64 and /usr/share/aws are in EMR's images), written in
 * the order Docker's layer differ writes (directory by directory, names sorted), then a custom Python layer, the
 * project's wheel and its conf.
 *
 * <p>Run it with {@code scripts/bench validate [runs] [jar KiB] [bulk MiB] [python MiB]}; not a test.
 */
public final class ValidateBenchmark {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long jarBytes = (args.length > 1 ? Long.parseLong(args[1]) : 768) * 1024;
        long bulkBytes = (args.length > 2 ? Long.parseLong(args[2]) : 256) * 1024 * 1024;
        long pythonBytes = (args.length > 3 ? Long.parseLong(args[3]) : 24) * 1024 * 1024;
        LocalRegistry registry = LocalRegistry.shared();
        Path work = Files.createTempDirectory("kedro-emrs-validate-bench");
        try {
            long t0 = System.nanoTime();
            TestImage image = EmrTestImage.good(ReleaseProfiles.load("emr-6.10.0")).sized(jarBytes, bulkBytes)
                    .pythonSized(pythonBytes).build(work);
            String ref = registry.host() + "/bench/emr-custom:1";
            image.push(registry.host(), "bench/emr-custom", "1");
            System.out.printf(Locale.ROOT, "Built and pushed %s in %.1f s%n", ref, (System.nanoTime() - t0) / 1e9);
            long total = 0;
            for (TestLayer.Blob b : image.layers()) {
                total += b.size();
                System.out.printf(Locale.ROOT, "  layer %s  %8.1f MiB%n", b.digest().substring(7, 19), b.size() / 1048576.0);
            }
            System.out.printf(Locale.ROOT, "  total        %8.1f MiB as stored (jars %d KiB each, bulk %d MiB, python layer +%d MiB)%n",
                    total / 1048576.0, jarBytes / 1024, bulkBytes >> 20, pythonBytes >> 20);

            ValidationRequest request = ValidationRequest.of(ref).withReleaseLabel("emr-6.10.0").withArchitecture("X86_64")
                    .withPython(EmrTestImage.PYTHON).withPackage(EmrTestImage.PACKAGE, EmrTestImage.VERSION);
            List<Double> validate = new ArrayList<>();
            List<Double> pull = new ArrayList<>();
            ValidationReport last = null;
            for (int i = -1; i < runs; i++) { // the first round warms the JIT and the page cache for both
                long a = System.nanoTime();
                last = new ImageValidator(ProgressListener.NONE).validate(request, RegistryAuth.anonymous());
                double v = (System.nanoTime() - a) / 1e9;
                if (!last.passed()) {
                    throw new IllegalStateException("the benchmark image should pass: " + String.join("\n", last.table()));
                }
                long b = System.nanoTime();
                long pulled = pullWhole(ImageReference.parse(ref));
                double p = (System.nanoTime() - b) / 1e9;
                if (pulled != total) {
                    throw new IllegalStateException("pulled " + pulled + " of " + total + " bytes");
                }
                if (i >= 0) {
                    validate.add(v);
                    pull.add(p);
                }
            }
            double mv = median(validate);
            double mp = median(pull);
            System.out.printf(Locale.ROOT, "%n%d interleaved runs each, in one JVM, registry on loopback:%n", runs);
            System.out.printf(Locale.ROOT, "%-44s %9s %9s %9s%n", "", "median s", "min s", "max s");
            row("validate-image (15 checks)", validate);
            row("pull whole (all blobs, digest-verified)", pull);
            System.out.printf(Locale.ROOT, "validation read %.1f of %.1f MiB (%d of %d layers opened, %d read to the end, %d pass%s)%n",
                    last.read().bytesRead() / 1048576.0, last.read().layerBytes() / 1048576.0, last.read().layersOpened(),
                    image.layers().size(), last.read().layersVerified(), last.read().passes(), last.read().passes() == 1 ? "" : "es");
            System.out.printf(Locale.ROOT, "ratio = %.3f (validate / pull); goal <= 0.2%n", mv / mp);
        } finally {
            FileTrees.deleteRecursively(work);
        }
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

    private static void row(String name, List<Double> v) {
        System.out.printf(Locale.ROOT, "%-44s %9.3f %9.3f %9.3f%n", name, median(v), v.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                v.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    private static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private ValidateBenchmark() {
    }
}
