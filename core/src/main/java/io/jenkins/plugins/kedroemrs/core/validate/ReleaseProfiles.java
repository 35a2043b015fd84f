package io.jenkins.plugins.kedroemrs.core.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.util.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The release profiles shipped with the engine: {@code profiles/releases.txt} lists the labels, {@code profiles/<label>.yaml}
 * describes each, {@code filesets/<name>.yaml} the file lists they share. Adding a release is adding data, not code.
 */
public final class ReleaseProfiles {
    private static final ObjectMapper YAML = new YAMLMapper();
    static final String FIELD = "release-label";

    private ReleaseProfiles() {
    }

    /** The known release labels, oldest first. */
    public static List<String> known() {
        return Arrays.stream(Resources.text(ReleaseProfiles.class, "profiles/releases.txt").split("\n")).map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The newest known release label. */
    public static String latest() {
        List<String> k = known();
        return k.get(k.size() - 1);
    }

    /** The profile of {@code label}; an unknown label is bad input that lists the known ones. */
    public static ReleaseProfile load(String label) {
        String l = label == null ? "" : label.strip();
        List<String> known = known();
        if (!known.contains(l)) {
            throw new InvalidInputException(FIELD, "\"" + label + "\" is not a release label this version knows",
                    "Use one of " + String.join(", ", known));
        }
        JsonNode p = yaml("profiles/" + l + ".yaml");
        List<FileSet> sets = new ArrayList<>();
        for (JsonNode name : p.path("fileSets")) {
            sets.add(fileSet(name.asText()));
        }
        return new ReleaseProfile(require(p, "release", l), require(p, "user", l), require(p, "workingDir", l),
                require(p, "entrypoint", l), strings(p.path("environment")), List.copyOf(sets));
    }

    private static FileSet fileSet(String name) {
        JsonNode f = yaml("filesets/" + name + ".yaml");
        String environment = f.path("environment").asText(null);
        String path = f.path("path").asText(null);
        if ((environment == null) == (path == null)) {
            throw new IllegalStateException("file set " + name + " needs exactly one of environment and path");
        }
        return new FileSet(require(f, "name", name), require(f, "check", name), environment, f.path("relative").asText(""), path,
                strings(f.path("prefixes")));
    }

    private static JsonNode yaml(String resource) {
        try {
            return Objects.requireNonNull(YAML.readTree(Resources.text(ReleaseProfiles.class, resource)), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("release profile resource " + resource + " is not valid YAML", e);
        }
    }

    private static String require(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.asText().isBlank()) {
            throw new IllegalStateException(where + " has no " + field);
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(s -> out.add(s.asText()));
        return List.copyOf(out);
    }
}
