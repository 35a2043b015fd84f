package io.jenkins.plugins.kedroemrs.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a {@link LocalRegistry} holds, read the way a test checks a push: the blobs on disk (digest → size, to see what
 * a push added) and an image's manifest over the distribution API (its config and layer digests, and its digest header).
 */
public final class RegistryBlobs {
    private static final String ACCEPT = "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json";

    private RegistryBlobs() {
    }

    /** Every blob the registry stores (layers, configs and manifests), digest → bytes. */
    public static Map<String, Long> onDisk(LocalRegistry registry) {
        Path blobs = registry.storage().resolve("docker/registry/v2/blobs/sha256");
        Map<String, Long> out = new TreeMap<>();
        if (!Files.isDirectory(blobs)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(blobs)) {
            for (Path data : s.filter(p -> p.getFileName().toString().equals("data")).toList()) {
                out.put("sha256:" + data.getParent().getFileName(), Files.size(data));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** An image manifest: its digest (the registry's Docker-Content-Digest), config digest and layer digests with sizes. */
    public record Manifest(String digest, String config, List<String> layers, List<Long> layerSizes, long size) {
        public long totalLayerBytes() {
            return layerSizes.stream().mapToLong(Long::longValue).sum();
        }
    }

    public static Manifest manifest(LocalRegistry registry, String repository, String reference) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + registry.host()
                + "/v2/" + repository + "/manifests/" + reference)).header("Accept", ACCEPT).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET manifest " + repository + ":" + reference + " answered " + r.statusCode());
        }
        JsonNode m = Json.MAPPER.readTree(r.body());
        List<String> layers = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        m.path("layers").forEach(l -> {
            layers.add(l.path("digest").asText());
            sizes.add(l.path("size").asLong());
        });
        return new Manifest(r.headers().firstValue("Docker-Content-Digest").orElseThrow(), m.path("config").path("digest").asText(),
                layers, sizes, r.body().length);
    }
}
