package io.jenkins.plugins.kedroemrs.core.oci;

import java.util.regex.Pattern;

/**
 * An OCI content descriptor: what a manifest says about a blob (or an index about a manifest).
 *
 * @param mediaType e.g. {@link MediaTypes#OCI_LAYER_GZIP}
 * @param digest    {@code sha256:<hex>}
 * @param size      the blob's size in bytes
 * @param platform  for an index entry, the platform of the manifest it points to; else {@code null}
 */
public record Descriptor(String mediaType, String digest, long size, Platform platform) {
    static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    /** The hex part of the digest. */
    public String hex() {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
