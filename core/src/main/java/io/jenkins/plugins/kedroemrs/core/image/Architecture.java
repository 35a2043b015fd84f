package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.util.Locale;

/** The EMR Serverless application's architecture, and the OCI platform an image for it is built for. */
public enum Architecture {
    X86_64("linux/amd64"),
    ARM64("linux/arm64");

    public static final String FIELD = "architecture";
    private final String platform;

    Architecture(String platform) {
        this.platform = platform;
    }

    /** The value of {@code --platform}, e.g. {@code linux/amd64}. */
    public String platform() {
        return platform;
    }

    /** Accepts EMR's spelling (X86_64, ARM64) and the OCI one (amd64, arm64, aarch64), in any case. */
    public static Architecture parse(String text) {
        if (text == null || text.isBlank()) {
            return X86_64;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "x86_64", "amd64", "linux/amd64" -> X86_64;
            case "arm64", "aarch64", "linux/arm64" -> ARM64;
            default -> throw new InvalidInputException(FIELD, "unknown architecture \"" + text + "\"",
                    "Use X86_64 or ARM64, as the EMR Serverless application is configured");
        };
    }
}
