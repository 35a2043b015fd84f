package io.jenkins.plugins.kedroemrs.core.validate;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.oci.ImageArchive;
import io.jenkins.plugins.kedroemrs.core.oci.ImageConfig;
import io.jenkins.plugins.kedroemrs.core.oci.ImageFiles;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.oci.LayerIndexCache;
import io.jenkins.plugins.kedroemrs.core.oci.PlatformNotFoundException;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryAuth;
import io.jenkins.plugins.kedroemrs.core.oci.RegistryClient;
import io.jenkins.plugins.kedroemrs.core.oci.ResolvedImage;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code emrsValidateImage}: checks a custom EMR Serverless image against a release profile, straight from its
 * registry or a saved tarball, with no container runtime. Reads the manifest and config, then only the tar headers of
 * the paths the checks need, top layer first, stopping as soon as the answers are settled.
 */
public final class ImageValidator {
    private final ProgressListener progress;
    private final LayerIndexCache cache;

    public ImageValidator(ProgressListener progress) {
        this(progress, null);
    }

    /**
     * @param cache where to keep the tar headers of layers read whole, so that the next validation of an image sharing
     *              them (same base, same Python layer) reads only the layers that changed; {@code null} for none, and
     *              then each layer is left as soon as the answers are settled
     */
    public ImageValidator(ProgressListener progress, LayerIndexCache cache) {
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.cache = cache;
    }

    /**
     * Where {@link ValidationRequest#image()} points: a saved image when a file or directory is there, else a registry
     * reference (parsed now, so a malformed one fails before anything remote).
     *
     * @return a {@link Path} or an {@link ImageReference}
     */
    public static Object locate(String image) {
        Path path = Path.of(image);
        if (Files.exists(path)) {
            return path;
        }
        if (image.startsWith("/") || image.startsWith("./") || image.startsWith("../") || image.toLowerCase(Locale.ROOT).endsWith(".tar")) {
            throw new InvalidInputException("image", "no saved image at " + image, "Pass an existing tarball or a registry reference");
        }
        return ImageReference.parse(image, "image");
    }

    /** Validates the image of {@code request}: a saved image on disk, or from its registry with {@code auth}. */
    public ValidationReport validate(ValidationRequest request, RegistryAuth auth) throws IOException, InterruptedException {
        ReleaseProfile profile = ReleaseProfiles.load(request.effectiveReleaseLabel());
        Object where = locate(request.image());
        long t0 = System.nanoTime();
        if (where instanceof Path path) {
            progress.phase("Reading the saved image " + path);
            try (ImageArchive archive = ImageArchive.open(path, "image")) {
                return validate(request, profile, () -> archive.resolve(request.platform()), t0);
            }
        }
        ImageReference ref = (ImageReference) where;
        progress.phase("Reading " + ref + " from " + (ref.isLoopback() ? "http" : "https") + "://" + ref.registry());
        RegistryClient client = new RegistryClient(auth);
        return validate(request, profile, () -> client.resolve(ref, request.platform()), t0);
    }

    /** Validates an image already resolved (by a {@link RegistryClient} or an {@link ImageArchive}). */
    public ValidationReport validate(ValidationRequest request, ResolvedImage image) throws IOException, InterruptedException {
        return validate(request, ReleaseProfiles.load(request.effectiveReleaseLabel()), () -> image, System.nanoTime());
    }

    private interface Resolver {
        ResolvedImage resolve() throws IOException, InterruptedException;
    }

    private ValidationReport validate(ValidationRequest request, ReleaseProfile profile, Resolver resolver, long t0)
            throws IOException, InterruptedException {
        if (request.releaseLabel() == null) {
            progress.info("No release label given: checking against " + profile.release() + ", the newest known");
        }
        ResolvedImage image;
        try {
            image = resolver.resolve();
        } catch (PlatformNotFoundException e) {
            return noImageForPlatform(request, profile, e, t0);
        }
        progress.info("Manifest " + (image.manifestDigest() == null ? "(docker save: none)" : image.manifestDigest()) + ", "
                + image.platform() + ", " + image.layers().size() + " layers, " + mib(image.layerBytes()) + " as stored");
        progress.phase("Checking the image against " + profile.release());
        ImageChecks checks = new ImageChecks(profile, request, image.config());
        ImageFiles files = new ImageFiles(image, cache);
        List<CheckResult> results = files.evaluate(checks::run);
        ImageFiles.ReadStats read = files.stats();
        progress.info(String.format(Locale.ROOT, "Read %s of %s of layers (%d of %d layers opened, %d verified by digest, %d from the "
                + "layer cache, %d pass%s%s)", mib(read.bytesRead()), mib(read.layerBytes()), read.layersOpened(), image.layers().size(),
                read.layersVerified(), read.layersCached(), read.passes(), read.passes() == 1 ? "" : "es",
                read.stoppedEarly() ? ", stopped early" : ""));
        return report(request, profile, image.config(), image.manifestDigest(), image.indexDigest(), results, t0, read);
    }

    private ValidationReport noImageForPlatform(ValidationRequest request, ReleaseProfile profile, PlatformNotFoundException e, long t0) {
        List<CheckResult> results = new ArrayList<>();
        for (String name : ImageChecks.names(profile)) {
            String application = request.architecture() == null ? "no --architecture was given and X86_64 is the application default"
                    : "the application is " + request.architecture();
            results.add(name.equals(ImageChecks.ARCHITECTURE)
                    ? CheckResult.fail(name, "the image index offers " + e.offered() + " but " + application + " (" + e.wanted()
                            + "): build and push a " + e.wanted() + " image too")
                    : CheckResult.skipped(name, "no " + e.wanted() + " image to check"));
        }
        ValidationReport r = new ValidationReport(request.image(), profile.release(), String.valueOf(e.wanted()), null, null,
                List.copyOf(results), request.strict(), false, millisSince(t0), ImageFiles.ReadStats.NONE);
        print(r);
        return r;
    }

    private ValidationReport report(ValidationRequest request, ReleaseProfile profile, ImageConfig config, String manifestDigest,
            String indexDigest, List<CheckResult> results, long t0, ImageFiles.ReadStats read) {
        ValidationReport r = new ValidationReport(request.image(), profile.release(), config.platform().toString(), manifestDigest,
                indexDigest, List.copyOf(results), request.strict(), ValidationReport.passes(results, request.strict()), millisSince(t0), read);
        print(r);
        return r;
    }

    private void print(ValidationReport r) {
        for (String line : r.table()) {
            progress.info(line);
        }
        for (CheckResult c : r.checks()) {
            if (c.status() == CheckStatus.WARN) {
                progress.warn(c.name() + ": " + c.reason());
            }
        }
        progress.info(r.summary());
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
