package io.jenkins.plugins.kedroemrs.core.oci;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses manifests, indexes and image configs strictly: anything the checks would otherwise trip over later (a missing
 * config descriptor, a digest that is not sha256, a layer without a size) is one clear "malformed" error naming where the
 * document came from.
 */
public final class OciJson {
    private OciJson() {
    }

    /**
     * Parses a manifest document.
     *
     * @param body        the bytes as served
     * @param contentType the Content-Type it was served with, or {@code null} (the document's own mediaType decides then)
     * @param where       for errors, e.g. {@code 127.0.0.1:5000/app:1.0}
     */
    public static ManifestDocument parseManifest(byte[] body, String contentType, String where) {
        JsonNode root = readTree(body, "manifest of " + where);
        String mediaType = text(root, "mediaType");
        String type = mediaType != null ? mediaType : contentType == null ? null : contentType.split(";", 2)[0].strip();
        if (MediaTypes.DOCKER_SCHEMA1.equals(type) || MediaTypes.DOCKER_SCHEMA1_SIGNED.equals(type) || root.path("schemaVersion").asInt() == 1) {
            throw new EngineException("The manifest of " + where + " is a Docker schema 1 manifest, which has no image config; "
                    + "push the image again with a current docker, podman or buildah");
        }
        if (root.path("schemaVersion").asInt(-1) != 2) {
            throw malformed(where, "schemaVersion is " + root.path("schemaVersion") + ", expected 2");
        }
        if (root.has("manifests") || (type != null && MediaTypes.INDEXES.contains(type))) {
            JsonNode list = root.path("manifests");
            if (!list.isArray()) {
                throw malformed(where, "an index without a \"manifests\" array");
            }
            List<Descriptor> manifests = new ArrayList<>();
            for (JsonNode m : list) {
                manifests.add(descriptor(m, where, "manifests[" + manifests.size() + "]"));
            }
            return new ManifestDocument.Index(type == null ? MediaTypes.OCI_INDEX : type, List.copyOf(manifests));
        }
        if (!root.has("config") || !root.path("layers").isArray()) {
            throw malformed(where, "neither an image manifest (config + layers) nor an index (manifests)");
        }
        if (type != null && !MediaTypes.MANIFESTS.contains(type)) {
            throw malformed(where, "unsupported media type " + type);
        }
        Descriptor config = descriptor(root.path("config"), where, "config");
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : root.path("layers")) {
            layers.add(descriptor(l, where, "layers[" + layers.size() + "]"));
        }
        return new ManifestDocument.Manifest(type == null ? MediaTypes.OCI_MANIFEST : type, config, List.copyOf(layers));
    }

    /** Parses an image config blob. */
    public static ImageConfig parseConfig(byte[] body, String where) {
        JsonNode root = readTree(body, "image config of " + where);
        if (!root.isObject()) {
            throw new EngineException("The image config of " + where + " is not a JSON object");
        }
        JsonNode c = root.path("config");
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : c.path("Env")) {
            String s = e.asText();
            int eq = s.indexOf('=');
            env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        }
        List<String> diffIds = new ArrayList<>();
        for (JsonNode d : root.path("rootfs").path("diff_ids")) {
            diffIds.add(d.asText());
        }
        Platform platform = new Platform(text(root, "os"), text(root, "architecture"), text(root, "variant"));
        return new ImageConfig(platform, c.path("User").asText(""), c.path("WorkingDir").asText(""), strings(c.path("Entrypoint")),
                strings(c.path("Cmd")), Collections.unmodifiableMap(env), List.copyOf(diffIds), text(root, "created"));
    }

    static JsonNode readTree(byte[] body, String what) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw new EngineException("The " + what + " is empty");
            }
            return n;
        } catch (JacksonException e) {
            throw new EngineException("The " + what + " is malformed: not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new EngineException("The " + what + " could not be read: " + e.getMessage(), e);
        }
    }

    private static Descriptor descriptor(JsonNode n, String where, String at) {
        if (!n.isObject()) {
            throw malformed(where, at + " is not a descriptor object");
        }
        String mediaType = text(n, "mediaType");
        String digest = text(n, "digest");
        if (digest == null) {
            throw malformed(where, at + " has no digest");
        }
        if (!Descriptor.SHA256.matcher(digest).matches()) {
            throw malformed(where, at + " has digest \"" + digest + "\"; only sha256:<64 hex> digests are supported");
        }
        if (!n.path("size").canConvertToLong() || n.path("size").asLong() < 0) {
            throw malformed(where, at + " has no valid size");
        }
        JsonNode p = n.get("platform");
        Platform platform = p == null || !p.isObject() ? null : new Platform(text(p, "os"), text(p, "architecture"), text(p, "variant"));
        return new Descriptor(mediaType, digest, n.path("size").asLong(), platform);
    }

    private static List<String> strings(JsonNode n) {
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : n) {
            out.add(s.asText());
        }
        return List.copyOf(out);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static EngineException malformed(String where, String problem) {
        return new EngineException("The manifest of " + where + " is malformed: " + problem);
    }
}
