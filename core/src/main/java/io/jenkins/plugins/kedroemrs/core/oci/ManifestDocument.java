package io.jenkins.plugins.kedroemrs.core.oci;

import java.util.List;

/** A parsed manifest document: an image manifest or an index (OCI index, Docker manifest list). */
public sealed interface ManifestDocument {

    String mediaType();

    /**
     * A single-platform image: its config blob and its layers, bottom layer first.
     */
    record Manifest(String mediaType, Descriptor config, List<Descriptor> layers) implements ManifestDocument {
    }

    /**
     * A multi-platform image: one manifest per platform.
     */
    record Index(String mediaType, List<Descriptor> manifests) implements ManifestDocument {
        /** The platforms offered, in index order (entries without a platform, such as attestations, left out). */
        public List<Platform> platforms() {
            return manifests.stream().map(Descriptor::platform).filter(p -> p != null && !"unknown".equals(p.os())).toList();
        }
    }
}
