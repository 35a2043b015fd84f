package io.jenkins.plugins.kedroemrs.core.oci;

import java.util.List;
import java.util.Optional;

/** Picks the manifest of one platform from an index. */
final class PlatformSelector {
    private PlatformSelector() {
    }

    /**
     * The entry for {@code wanted}; with no platform asked for: linux/amd64 when offered (EMR Serverless's default
     * architecture), else the only linux entry. Attestation manifests ({@code unknown/unknown}) are never picked.
     */
    static Descriptor select(ManifestDocument.Index index, Platform wanted, String name) {
        List<Descriptor> candidates = index.manifests().stream()
                .filter(d -> d.platform() != null && !"unknown".equals(d.platform().os())).toList();
        if (wanted != null) {
            return candidates.stream().filter(d -> wanted.accepts(d.platform())).findFirst()
                    .orElseThrow(() -> new PlatformNotFoundException(name, wanted, index.platforms()));
        }
        Optional<Descriptor> amd64 = candidates.stream().filter(d -> Platform.LINUX_AMD64.accepts(d.platform())).findFirst();
        if (amd64.isPresent()) {
            return amd64.get();
        }
        List<Descriptor> linux = candidates.stream().filter(d -> "linux".equals(d.platform().os())).toList();
        if (linux.size() == 1) {
            return linux.get(0);
        }
        throw new PlatformNotFoundException(name, Platform.LINUX_AMD64, index.platforms());
    }
}
