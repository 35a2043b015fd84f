package io.jenkins.plugins.kedroemrs.core.oci;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.util.Locale;

/**
 * An image platform as OCI indexes and image configs spell it: {@code os/architecture[/variant]}, e.g. {@code linux/amd64},
 * {@code linux/arm64/v8}. An arm64 image without a variant is a v8 one (as containerd's platform matcher has it).
 *
 * @param os           e.g. {@code linux}
 * @param architecture GOARCH spelling, e.g. {@code amd64}, {@code arm64}
 * @param variant      e.g. {@code v8}, or {@code null}
 */
public record Platform(String os, String architecture, String variant) {

    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);
    public static final Platform LINUX_ARM64 = new Platform("linux", "arm64", null);

    public Platform {
        os = os == null || os.isBlank() ? null : os.toLowerCase(Locale.ROOT);
        architecture = architecture == null || architecture.isBlank() ? null : architecture.toLowerCase(Locale.ROOT);
        variant = variant == null || variant.isBlank() ? null : variant.toLowerCase(Locale.ROOT);
    }

    /** Parses {@code os/arch[/variant]}; {@code field} names the option in the error. */
    public static Platform parse(String text, String field) {
        String[] parts = text == null ? new String[0] : text.strip().split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new InvalidInputException(field, "\"" + text + "\" is not a platform", "Write os/architecture[/variant], e.g. linux/arm64");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** Whether an image of platform {@code offered} runs here: same os and architecture, and the variant when one is asked for. */
    public boolean accepts(Platform offered) {
        if (offered == null || !equalsOrNull(os, offered.os) || architecture == null || !architecture.equals(offered.architecture)) {
            return false;
        }
        return variant == null || normalisedVariant().equals(offered.normalisedVariant());
    }

    private static boolean equalsOrNull(String wanted, String offered) {
        return wanted == null || wanted.equals(offered);
    }

    private String normalisedVariant() {
        if (variant == null) {
            return "arm64".equals(architecture) ? "v8" : "";
        }
        return variant;
    }

    @Override
    public String toString() {
        return (os == null ? "?" : os) + "/" + (architecture == null ? "?" : architecture) + (variant == null ? "" : "/" + variant);
    }
}
