package io.jenkins.plugins.kedroemrs.core.oci;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference as Docker and OCI tools write it: {@code [registry[:port]/]repository[:tag][@sha256:<hex>]}.
 * The first path component is a registry when it contains a dot or a colon or is {@code localhost}; otherwise the
 * registry is Docker Hub ({@code docker.io}, with {@code library/} for single-name repositories).
 *
 * @param registry   e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com} or {@code 127.0.0.1:5000}
 * @param repository e.g. {@code kedro/spaceflights}
 * @param tag        e.g. {@code 1.4.0}, or {@code null}
 * @param digest     e.g. {@code sha256:…}, or {@code null}
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern REGISTRY = Pattern.compile("(?:[a-zA-Z0-9-]+\\.)*[a-zA-Z0-9-]+(?::\\d{1,5})?|\\[[0-9a-fA-F:]+](?::\\d{1,5})?");
    /** ECR's registry host: account, region. */
    private static final Pattern ECR = Pattern.compile("(\\d{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");

    public ImageReference {
        if (tag == null && digest == null) {
            tag = "latest";
        }
    }

    /** Parses a reference; {@code field} names the option it came from in the error. */
    public static ImageReference parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, "no image given", "Pass an image such as registry/repository:tag");
        }
        String rest = text.strip();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new InvalidInputException(field, "\"" + text + "\" has a malformed digest \"" + digest + "\"",
                        "A digest is sha256: followed by 64 lower-case hex digits");
            }
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                if (!REGISTRY.matcher(first).matches()) {
                    throw new InvalidInputException(field, "\"" + first + "\" in \"" + text + "\" is not a registry host",
                            "Write host[:port]/repository[:tag]");
                }
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidInputException(field, "\"" + tag + "\" in \"" + text + "\" is not a valid tag",
                        "A tag has up to 128 letters, digits, '_', '.' and '-', and does not start with '.' or '-'");
            }
        }
        if (rest.isEmpty()) {
            throw new InvalidInputException(field, "\"" + text + "\" names no repository", "Write registry/repository:tag");
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new InvalidInputException(field, "\"" + rest + "\" in \"" + text + "\" is not a valid repository name",
                        "Use lower-case letters, digits and separators (. _ -), components joined by /");
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    public static ImageReference parse(String text) {
        return parse(text, "image");
    }

    /** The same repository, pinned to a digest (the tag dropped): what EMR Serverless should run. */
    public ImageReference withDigest(String newDigest) {
        return new ImageReference(registry, repository, null, newDigest);
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, null);
    }

    /** The tag or digest to ask the registry for: the digest when there is one. */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    /** {@code registry/repository}, e.g. what ECR calls the repository URI. */
    public String repositoryUri() {
        return registry + "/" + repository;
    }

    /** Whether the registry is on this machine; such registries are spoken to over plain HTTP. */
    public boolean isLoopback() {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.split(":", 2)[0];
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    /** The ECR account id when the registry is an ECR registry, else {@code null}. */
    public String ecrAccountId() {
        Matcher m = ECR.matcher(registry.toLowerCase(Locale.ROOT));
        return m.matches() ? m.group(1) : null;
    }

    /** The ECR region when the registry is an ECR registry, else {@code null}. */
    public String ecrRegion() {
        Matcher m = ECR.matcher(registry.toLowerCase(Locale.ROOT));
        return m.matches() ? m.group(2) : null;
    }

    @Override
    public String toString() {
        return repositoryUri() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
