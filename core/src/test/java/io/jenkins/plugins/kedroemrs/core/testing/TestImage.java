package io.jenkins.plugins.kedroemrs.core.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kedroemrs.core.oci.ImageConfig;
import io.jenkins.plugins.kedroemrs.core.oci.ManifestDocument;
import io.jenkins.plugins.kedroemrs.core.oci.MediaTypes;
import io.jenkins.plugins.kedroemrs.core.oci.OciJson;
import io.jenkins.plugins.kedroemrs.core.oci.ResolvedImage;
import io.jenkins.plugins.kedroemrs.core.oci.VerifyingInputStream;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An image made without a container engine or network: locally made {@link TestLayer}s, a config, a manifest (OCI or
 * Docker v2 media types), pushed to a real registry through the distribution API's upload endpoints, or saved as a
 * {@code docker save} tarball or an OCI layout tarball. Writing the documents ourselves (rather than with Jib core, which
 * the product uses to build) gives the tests full control: whiteouts, links, two-platform indexes, media types, and an
 * independent check of what Jib writes.
 */
public final class TestImage {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<TestLayer.Blob> layers = new ArrayList<>();
    private String os = "linux";
    private String architecture = "amd64";
    private String variant;
    private String user;
    private String workingDir;
    private List<String> entrypoint;
    private final Map<String, String> env = new LinkedHashMap<>();
    private boolean docker;

    public TestImage layer(TestLayer.Blob blob) {
        layers.add(blob);
        return this;
    }

    public TestImage platform(String newOs, String newArchitecture, String newVariant) {
        os = newOs;
        architecture = newArchitecture;
        variant = newVariant;
        return this;
    }

    public TestImage user(String value) {
        user = value;
        return this;
    }

    public TestImage workingDir(String value) {
        workingDir = value;
        return this;
    }

    public TestImage entrypoint(String... value) {
        entrypoint = value == null ? null : List.of(value);
        return this;
    }

    public TestImage env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    /** Docker v2 schema 2 media types instead of OCI ones. */
    public TestImage dockerMediaTypes() {
        docker = true;
        return this;
    }

    /** The same config with the bottom {@code keep} layers and then {@code top}: the next build of an image, with its cached layers. */
    public TestImage derive(int keep, List<TestLayer.Blob> top) {
        TestImage d = new TestImage().platform(os, architecture, variant).user(user).workingDir(workingDir);
        d.entrypoint = entrypoint;
        d.env.putAll(env);
        d.docker = docker;
        d.layers.addAll(layers.subList(0, keep));
        d.layers.addAll(top);
        return d;
    }

    public List<TestLayer.Blob> layers() {
        return List.copyOf(layers);
    }

    public byte[] configJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("architecture", architecture);
        root.put("os", os);
        if (variant != null) {
            root.put("variant", variant);
        }
        root.put("created", "2024-01-01T00:00:00Z");
        ObjectNode config = root.putObject("config");
        if (user != null) {
            config.put("User", user);
        }
        if (workingDir != null) {
            config.put("WorkingDir", workingDir);
        }
        if (entrypoint != null) {
            ArrayNode ep = config.putArray("Entrypoint");
            entrypoint.forEach(ep::add);
        }
        ArrayNode e = config.putArray("Env");
        env.forEach((k, v) -> e.add(k + "=" + v));
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(l -> diffIds.add(l.diffId()));
        return bytes(root);
    }

    public byte[] manifestJson() {
        byte[] config = configJson();
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST);
        ObjectNode c = m.putObject("config");
        c.put("mediaType", docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG);
        c.put("digest", "sha256:" + Hashing.sha256(config));
        c.put("size", config.length);
        ArrayNode ls = m.putArray("layers");
        for (TestLayer.Blob l : layers) {
            ObjectNode d = ls.addObject();
            d.put("mediaType", docker ? MediaTypes.DOCKER_LAYER_GZIP : l.gzip() ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER_TAR);
            d.put("digest", l.digest());
            d.put("size", l.size());
        }
        return bytes(m);
    }

    /** The image as the engine sees it, read straight from the layer files (no registry, no archive). */
    public ResolvedImage resolveLocally(String name) {
        ManifestDocument.Manifest m = (ManifestDocument.Manifest) OciJson.parseManifest(manifestJson(), null, name);
        ImageConfig config = OciJson.parseConfig(configJson(), name);
        List<ResolvedImage.Layer> ls = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            ls.add(new ResolvedImage.Layer(i, m.layers().get(i), layers.get(i).diffId()));
        }
        return new ResolvedImage(name, null, "sha256:" + Hashing.sha256(manifestJson()), List.of(config.platform()), config, ls,
                i -> new VerifyingInputStream(Files.newInputStream(layers.get(i).file()), layers.get(i).digest(), layers.get(i).size(),
                        "layer " + i));
    }

    public String mediaType() {
        return docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
    }

    /** Pushes blobs, config and manifest to {@code registryHost} (e.g. 127.0.0.1:5000) as {@code repo:tag}; returns the manifest digest. */
    public String push(String registryHost, String repo, String tag) {
        for (TestLayer.Blob l : layers) {
            pushBlob(registryHost, repo, l.digest(), ofFile(l.file()));
        }
        byte[] config = configJson();
        pushBlob(registryHost, repo, "sha256:" + Hashing.sha256(config), HttpRequest.BodyPublishers.ofByteArray(config));
        return pushManifest(registryHost, repo, tag, manifestJson(), mediaType());
    }

    /** Pushes an index (OCI image index, or a Docker manifest list) of already pushed images; returns its digest. */
    public static String pushIndex(String registryHost, String repo, String tag, boolean dockerList, List<TestImage> images) {
        ObjectNode idx = Json.MAPPER.createObjectNode();
        idx.put("schemaVersion", 2);
        idx.put("mediaType", dockerList ? MediaTypes.DOCKER_MANIFEST_LIST : MediaTypes.OCI_INDEX);
        ArrayNode ms = idx.putArray("manifests");
        for (TestImage i : images) {
            byte[] m = i.manifestJson();
            ObjectNode d = ms.addObject();
            d.put("mediaType", i.mediaType());
            d.put("digest", "sha256:" + Hashing.sha256(m));
            d.put("size", m.length);
            ObjectNode p = d.putObject("platform");
            p.put("architecture", i.architecture);
            p.put("os", i.os);
            if (i.variant != null) {
                p.put("variant", i.variant);
            }
        }
        return pushManifest(registryHost, repo, tag, bytes(idx), dockerList ? MediaTypes.DOCKER_MANIFEST_LIST : MediaTypes.OCI_INDEX);
    }

    public static String pushManifest(String registryHost, String repo, String tag, byte[] body, String mediaType) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://" + registryHost + "/v2/" + repo + "/manifests/" + tag))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("manifest push of " + repo + ":" + tag + " failed: " + r.statusCode() + " " + r.body());
        }
        return r.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private static HttpRequest.BodyPublisher ofFile(Path file) {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pushBlob(String host, String repo, String digest, HttpRequest.BodyPublisher body) {
        HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repo + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        if (head.statusCode() == 200) {
            return;
        }
        HttpResponse<String> start = send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        if (start.statusCode() != 202) {
            throw new IllegalStateException("upload start failed: " + start.statusCode() + " " + start.body());
        }
        URI location = URI.create("http://" + host + "/").resolve(start.headers().firstValue("Location").orElseThrow());
        String sep = location.getQuery() == null ? "?" : "&";
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(location + sep + "digest=" + digest))
                .header("Content-Type", "application/octet-stream").PUT(body).build());
        if (put.statusCode() != 201) {
            throw new IllegalStateException("blob upload of " + digest + " failed: " + put.statusCode() + " " + put.body());
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes what {@code docker save} writes: manifest.json, {@code <config hex>.json}, {@code <n>/layer.tar} (uncompressed). */
    public void writeDockerSave(Path tarFile, String repoTag) throws IOException {
        byte[] config = configJson();
        String configName = Hashing.sha256(config) + ".json";
        try (OutputStream out = Files.newOutputStream(tarFile); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            ArrayNode manifest = Json.MAPPER.createArrayNode();
            ObjectNode image = manifest.addObject();
            image.put("Config", configName);
            image.putArray("RepoTags").add(repoTag);
            ArrayNode ls = image.putArray("Layers");
            add(tar, configName, config);
            for (int i = 0; i < layers.size(); i++) {
                String name = "layer" + i + "/layer.tar";
                ls.add(name);
                addFile(tar, name, uncompressed(layers.get(i)));
            }
            add(tar, "manifest.json", bytes(manifest));
        }
    }

    /** Writes an OCI image layout as a tarball: oci-layout, index.json, blobs/sha256/… (what docker save writes since 25). */
    public void writeOciLayout(Path tarFile) throws IOException {
        byte[] config = configJson();
        byte[] manifest = manifestJson();
        try (OutputStream out = Files.newOutputStream(tarFile); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            add(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ObjectNode index = Json.MAPPER.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaTypes.OCI_INDEX);
            ObjectNode d = index.putArray("manifests").addObject();
            d.put("mediaType", mediaType());
            d.put("digest", "sha256:" + Hashing.sha256(manifest));
            d.put("size", manifest.length);
            add(tar, "index.json", bytes(index));
            add(tar, "blobs/sha256/" + Hashing.sha256(manifest), manifest);
            add(tar, "blobs/sha256/" + Hashing.sha256(config), config);
            for (TestLayer.Blob l : layers) {
                addFile(tar, "blobs/sha256/" + l.digest().substring(7), l.file());
            }
        }
    }

    private static Path uncompressed(TestLayer.Blob l) throws IOException {
        if (!l.gzip()) {
            return l.file();
        }
        Path tmp = Files.createTempFile(l.file().getParent(), "layer", ".tar");
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(l.file())); OutputStream out = Files.newOutputStream(tmp)) {
            in.transferTo(out);
        }
        return tmp;
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void addFile(TarArchiveOutputStream tar, String name, Path file) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(Files.size(file));
        e.setModTime(0);
        tar.putArchiveEntry(e);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
    }

    private static byte[] bytes(Object node) {
        try {
            return Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
