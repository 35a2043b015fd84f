package io.jenkins.plugins.kedroemrs.core.validate;

import static io.jenkins.plugins.kedroemrs.core.util.Text.blankToNull;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.oci.Platform;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What to validate and against what. Only {@code image} is required; each value is checked when set, so a request
 * that exists is valid and nothing remote is touched for bad input.
 *
 * @param image          a registry reference ({@code registry/repo:tag}, {@code …@sha256:…}) or a saved image path
 * @param releaseLabel   the EMR release the application runs, e.g. {@code emr-6.10.0}; the newest known by default
 * @param architecture   the application's architecture, {@code X86_64} or {@code ARM64}, or {@code null} (not checked against one)
 * @param python         the custom interpreter the job runs with, e.g. {@code /usr/.pyenv/versions/3.11.9/bin/python}, or {@code null}
 * @param packageName    the Kedro project's distribution (wheel) name, or {@code null}
 * @param packageVersion its version, or {@code null} (any version)
 * @param confDir        where the project's conf is in the image; {@code /home/hadoop/conf} by default
 * @param strict         whether a WARN fails the validation too
 */
public record ValidationRequest(String image, String releaseLabel, String architecture, String python, String packageName,
        String packageVersion, String confDir, boolean strict) {

    public static final String DEFAULT_CONF_DIR = "/home/hadoop/conf";
    private static final Pattern DIST_NAME = Pattern.compile("(?i)[a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9]");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+!_-]*");

    public ValidationRequest {
        if (image == null || image.isBlank()) {
            throw new InvalidInputException("image", "no image given", "Pass a registry reference (registry/repo:tag) or a saved image tarball");
        }
        image = image.strip();
        releaseLabel = blankToNull(releaseLabel);
        if (releaseLabel != null) {
            ReleaseProfiles.load(releaseLabel);
        }
        architecture = blankToNull(architecture);
        if (architecture != null) {
            architecture = normaliseArchitecture(architecture);
        }
        python = blankToNull(python);
        if (python != null && (!python.startsWith("/") || python.endsWith("/") || python.chars().anyMatch(Character::isWhitespace))) {
            throw new InvalidInputException("python", "\"" + python + "\" is not an absolute path of an interpreter in the image",
                    "Pass the path the job runs, e.g. /usr/.pyenv/versions/3.11.9/bin/python");
        }
        packageName = blankToNull(packageName);
        if (packageName != null && !DIST_NAME.matcher(packageName).matches()) {
            throw new InvalidInputException("package", "\"" + packageName + "\" is not a Python distribution name",
                    "Pass the wheel's name, e.g. spaceflights (letters, digits, . _ -)");
        }
        packageVersion = blankToNull(packageVersion);
        if (packageVersion != null && !VERSION.matcher(packageVersion).matches()) {
            throw new InvalidInputException("package", "\"" + packageVersion + "\" is not a package version", "Pass e.g. 0.1");
        }
        if (packageVersion != null && packageName == null) {
            throw new InvalidInputException("package", "a version without a package name", "Pass the package name too");
        }
        confDir = blankToNull(confDir) == null ? DEFAULT_CONF_DIR : confDir.strip();
        if (!confDir.startsWith("/")) {
            throw new InvalidInputException("conf-dir", "\"" + confDir + "\" is not an absolute path in the image", "Pass e.g. " + DEFAULT_CONF_DIR);
        }
    }

    public static ValidationRequest of(String image) {
        return new ValidationRequest(image, null, null, null, null, null, null, false);
    }

    public ValidationRequest withReleaseLabel(String value) {
        return new ValidationRequest(image, value, architecture, python, packageName, packageVersion, confDir, strict);
    }

    public ValidationRequest withArchitecture(String value) {
        return new ValidationRequest(image, releaseLabel, value, python, packageName, packageVersion, confDir, strict);
    }

    public ValidationRequest withPython(String value) {
        return new ValidationRequest(image, releaseLabel, architecture, value, packageName, packageVersion, confDir, strict);
    }

    public ValidationRequest withPackage(String name, String version) {
        return new ValidationRequest(image, releaseLabel, architecture, python, name, version, confDir, strict);
    }

    public ValidationRequest withConfDir(String value) {
        return new ValidationRequest(image, releaseLabel, architecture, python, packageName, packageVersion, value, strict);
    }

    public ValidationRequest withStrict(boolean value) {
        return new ValidationRequest(image, releaseLabel, architecture, python, packageName, packageVersion, confDir, value);
    }

    /** The release label to check against: the given one, else the newest known. */
    public String effectiveReleaseLabel() {
        return releaseLabel != null ? releaseLabel : ReleaseProfiles.latest();
    }

    /** The image platform the application's architecture runs, or {@code null}. */
    public Platform platform() {
        return architecture == null ? null : architecture.equals("ARM64") ? Platform.LINUX_ARM64 : Platform.LINUX_AMD64;
    }

    /** EMR Serverless spells architectures X86_64 and ARM64; amd64, x86-64, arm64 and aarch64 are taken too. */
    static String normaliseArchitecture(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "x86_64", "amd64" -> "X86_64";
            case "arm64", "aarch64" -> "ARM64";
            default -> throw new InvalidInputException("architecture", "\"" + value + "\" is not an EMR Serverless architecture",
                    "Use X86_64 or ARM64");
        };
    }
}
