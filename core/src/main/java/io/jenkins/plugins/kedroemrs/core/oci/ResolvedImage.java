package io.jenkins.plugins.kedroemrs.core.oci;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * One platform's image, resolved from a registry or a saved tarball: its manifest, its config, and a way to open each
 * layer blob as served (compressed or not), verified against its digest when read to the end.
 */
public final class ResolvedImage {

    /** Opens the bytes of layer {@code index} (0 = bottom layer) as stored, wrapped in a {@link VerifyingInputStream}. */
    @FunctionalInterface
    public interface LayerOpener {
        VerifyingInputStream open(int index) throws IOException, InterruptedException;
    }

    /**
     * A layer of the image.
     *
     * @param index      0 = the bottom layer
     * @param descriptor the manifest's descriptor (media type, digest, size as stored)
     * @param diffId     the sha256 of the uncompressed tar, from the config ({@code null} when the config lists none)
     */
    public record Layer(int index, Descriptor descriptor, String diffId) {
    }

    private final String name;
    private final String indexDigest;
    private final String manifestDigest;
    private final List<Platform> offered;
    private final ImageConfig config;
    private final List<Layer> layers;
    private final LayerOpener opener;

    public ResolvedImage(String name, String indexDigest, String manifestDigest, List<Platform> offered, ImageConfig config,
            List<Layer> layers, LayerOpener opener) {
        this.name = name;
        this.indexDigest = indexDigest;
        this.manifestDigest = manifestDigest;
        this.offered = List.copyOf(offered);
        this.config = config;
        this.layers = List.copyOf(layers);
        this.opener = opener;
    }

    /** Where the image came from, e.g. {@code 127.0.0.1:5000/app:1.0} or a tarball path. */
    public String name() {
        return name;
    }

    /** The digest of the index the platform was picked from, or {@code null} for a single-platform image. */
    public String indexDigest() {
        return indexDigest;
    }

    /** The digest of the platform's image manifest, or {@code null} for a {@code docker save} tarball (which has none). */
    public String manifestDigest() {
        return manifestDigest;
    }

    /** The platforms the index offered (just this image's for a single-platform image). */
    public List<Platform> offered() {
        return offered;
    }

    public ImageConfig config() {
        return config;
    }

    public Platform platform() {
        return config.platform();
    }

    /** Bottom layer first. */
    public List<Layer> layers() {
        return layers;
    }

    public VerifyingInputStream openLayer(int index) throws IOException, InterruptedException {
        return opener.open(index);
    }

    /** Total size of the layer blobs as stored. */
    public long layerBytes() {
        return layers.stream().mapToLong(l -> l.descriptor().size()).sum();
    }
}
