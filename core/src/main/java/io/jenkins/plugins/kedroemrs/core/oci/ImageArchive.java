package io.jenkins.plugins.kedroemrs.core.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A saved image on disk, read in place (nothing is extracted): a {@code docker save} / {@code podman save} tarball
 * ({@code manifest.json} + config + one tar per layer), an OCI image layout ({@code oci-layout} + {@code index.json} +
 * {@code blobs/sha256/…}) as a tarball ({@code docker save} of Docker 25+, {@code skopeo copy oci-archive:},
 * {@code buildx --output type=oci}), or either of them unpacked into a directory. The OCI layout is preferred when both
 * are present. Blobs are verified against their digests when read to the end; {@code docker save} layers, which have no
 * manifest digest, against the config's {@code diff_ids}.
 */
public final class ImageArchive implements Closeable {
    private final Path path;
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> entries = new HashMap<>();

    private ImageArchive(Path path, TarFile tar) {
        this.path = path;
        this.tar = tar;
        if (tar != null) {
            for (TarArchiveEntry e : tar.getEntries()) {
                if (!e.isDirectory()) {
                    entries.put(Paths.normalise(e.getName()), e);
                }
            }
        }
    }

    /**
     * Opens a saved image; {@code field} names the option in errors.
     *
     * @throws InvalidInputException when the path is neither a tarball nor a directory of a saved image
     */
    public static ImageArchive open(Path path, String field) throws IOException {
        if (Files.isDirectory(path)) {
            ImageArchive a = new ImageArchive(path, null);
            a.requireLayout(field);
            return a;
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException(field, "no file or directory at " + path, "Pass a saved image tarball or an image reference");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(512);
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            throw new InvalidInputException(field, path + " is gzip-compressed",
                    "Decompress it first (gunzip): saved images are read in place, which needs a plain tar");
        }
        TarFile tar;
        try {
            tar = new TarFile(path);
        } catch (IOException e) {
            throw new InvalidInputException(field, path + " is not a tar archive (" + e.getMessage() + ")",
                    "Pass the output of docker save / podman save, or an OCI image layout");
        }
        ImageArchive a = new ImageArchive(path, tar);
        a.requireLayout(field);
        return a;
    }

    private void requireLayout(String field) throws IOException {
        if (!exists("index.json") && !exists("manifest.json")) {
            close();
            throw new InvalidInputException(field, path + " holds no saved image (no index.json nor manifest.json)",
                    "Pass the output of docker save / podman save, or an OCI image layout");
        }
    }

    /** One platform's image: from the OCI layout's index when there is one, else from {@code docker save}'s manifest.json. */
    public ResolvedImage resolve(Platform wanted) throws IOException {
        return exists("index.json") && exists("oci-layout") ? resolveOciLayout(wanted) : resolveDockerSave();
    }

    private ResolvedImage resolveOciLayout(Platform wanted) throws IOException {
        String name = path.toString();
        ManifestDocument doc = OciJson.parseManifest(read("index.json"), MediaTypes.OCI_INDEX, "index.json of " + name);
        String indexDigest = null;
        List<Platform> offered = null;
        Descriptor chosen = null;
        for (int depth = 0; doc instanceof ManifestDocument.Index index; depth++) {
            if (depth > 3) {
                throw new EngineException("The OCI layout " + name + " nests indexes more than 3 deep");
            }
            if (index.manifests().size() == 1 && index.manifests().get(0).platform() == null) {
                chosen = index.manifests().get(0);
            } else {
                offered = index.platforms();
                chosen = PlatformSelector.select(index, wanted, name);
            }
            byte[] body = blobBytes(chosen, name);
            doc = OciJson.parseManifest(body, chosen.mediaType(), name + "@" + chosen.digest());
            if (doc instanceof ManifestDocument.Index) {
                indexDigest = chosen.digest();
            }
        }
        ManifestDocument.Manifest m = (ManifestDocument.Manifest) doc;
        ImageConfig config = OciJson.parseConfig(blobBytes(m.config(), name), name);
        List<ResolvedImage.Layer> layers = RegistryClient.layersOf(m, config, name);
        return new ResolvedImage(name, indexDigest, chosen == null ? null : chosen.digest(),
                offered == null ? List.of(config.platform()) : offered, config, layers,
                i -> verifying(blobPath(layers.get(i).descriptor()), layers.get(i).descriptor(), "layer " + (i + 1) + "/" + layers.size() + " of " + name));
    }

    private ResolvedImage resolveDockerSave() throws IOException {
        String name = path.toString();
        JsonNode images = OciJson.readTree(read("manifest.json"), "manifest.json of " + name);
        if (!images.isArray() || images.isEmpty()) {
            throw new EngineException("The manifest.json of " + name + " is malformed: not a non-empty list of images");
        }
        if (images.size() > 1) {
            List<String> tags = new ArrayList<>();
            images.forEach(i -> tags.add(i.path("RepoTags").toString()));
            throw new EngineException(name + " holds " + images.size() + " images " + tags + "; save one image per tarball");
        }
        JsonNode image = images.get(0);
        String configPath = image.path("Config").asText(null);
        if (configPath == null || !image.path("Layers").isArray()) {
            throw new EngineException("The manifest.json of " + name + " is malformed: it needs Config and Layers");
        }
        byte[] configBytes = read(configPath);
        ImageConfig config = OciJson.parseConfig(configBytes, name);
        String configHex = Hashing.sha256(configBytes);
        String expectedHex = Path.of(configPath).getFileName().toString().replaceFirst("\\.json$", "");
        if (expectedHex.matches("[a-f0-9]{64}") && !expectedHex.equals(configHex)) {
            throw new EngineException("The config " + configPath + " in " + name + " does not match its name: sha256 is " + configHex);
        }
        List<String> layerPaths = new ArrayList<>();
        image.path("Layers").forEach(l -> layerPaths.add(l.asText()));
        if (config.diffIds().size() != layerPaths.size()) {
            throw new EngineException("The image in " + name + " is inconsistent: manifest.json lists " + layerPaths.size()
                    + " layers, its config " + config.diffIds().size());
        }
        List<ResolvedImage.Layer> layers = new ArrayList<>();
        for (int i = 0; i < layerPaths.size(); i++) {
            String p = Paths.normalise(layerPaths.get(i));
            // docker save layers are the uncompressed tars, so their digest is the config's diff_id.
            Descriptor d = new Descriptor(MediaTypes.OCI_LAYER_TAR, config.diffIds().get(i), size(p), null);
            layers.add(new ResolvedImage.Layer(i, d, config.diffIds().get(i)));
        }
        return new ResolvedImage(name, null, null, List.of(config.platform()), config, layers,
                i -> verifying(Paths.normalise(layerPaths.get(i)), layers.get(i).descriptor(), "layer " + (i + 1) + "/" + layerPaths.size() + " of " + name));
    }

    private byte[] blobBytes(Descriptor d, String name) throws IOException {
        if (d.size() > RegistryClient.MAX_DOCUMENT_BYTES) {
            throw new EngineException("The blob " + d.digest() + " in " + name + " has " + d.size() + " bytes; too large for a manifest or config");
        }
        try (VerifyingInputStream in = verifying(blobPath(d), d, "blob " + d.digest() + " of " + name)) {
            return in.readAllBytes();
        }
    }

    private VerifyingInputStream verifying(String p, Descriptor d, String what) throws IOException {
        return new VerifyingInputStream(openEntry(p), d.digest(), d.size(), what);
    }

    private static String blobPath(Descriptor d) {
        return "blobs/sha256/" + d.hex();
    }

    private boolean exists(String p) {
        return tar != null ? entries.containsKey(p) : Files.isRegularFile(path.resolve(p));
    }

    private long size(String p) throws IOException {
        if (tar != null) {
            TarArchiveEntry e = entries.get(p);
            if (e == null) {
                throw missing(p);
            }
            return e.getSize();
        }
        return Files.size(path.resolve(p));
    }

    private byte[] read(String p) throws IOException {
        try (InputStream in = openEntry(Paths.normalise(p))) {
            byte[] bytes = in.readNBytes(RegistryClient.MAX_DOCUMENT_BYTES + 1);
            if (bytes.length > RegistryClient.MAX_DOCUMENT_BYTES) {
                throw new EngineException(p + " in " + path + " is too large for a manifest or config");
            }
            return bytes;
        }
    }

    private InputStream openEntry(String p) throws IOException {
        if (tar != null) {
            TarArchiveEntry e = entries.get(p);
            if (e == null) {
                throw missing(p);
            }
            return tar.getInputStream(e);
        }
        Path file = path.resolve(p).normalize();
        if (!file.startsWith(path) || !Files.isRegularFile(file)) {
            throw missing(p);
        }
        return Files.newInputStream(file);
    }

    private EngineException missing(String p) {
        return new EngineException("The saved image " + path + " is incomplete: it has no " + p);
    }

    @Override
    public void close() throws IOException {
        if (tar != null) {
            tar.close();
        }
    }
}
