package io.jenkins.plugins.kedroemrs.core.validate;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageOptions;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.util.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * {@code emrsValidateImage}'s options as a form, a Pipeline step or the command line give them: text, with paths
 * relative to a base folder (the Jenkins workspace, the CLI's current folder). {@link #toRequest} checks them all and
 * makes the {@link ValidationRequest}; the {@code check…} methods check one field each (for form validation) and throw
 * the same {@link InvalidInputException} a run would.
 *
 * @param image        a registry reference, or a saved image (tarball, OCI layout) relative to the base folder
 * @param releaseLabel the application's release; blank: the newest known
 * @param architecture {@code X86_64} or {@code ARM64}; blank: not checked against one
 * @param python       the custom Python in the image
 * @param packageSpec  the project's wheel, {@code name} or {@code name==version} (or take it from a packaging result)
 * @param confDir      where the project's conf is in the image; blank: {@code /home/hadoop/conf}
 * @param junit        also write the checks as JUnit XML to this file, relative to the base folder; blank: no file
 * @param strict       a warning fails the validation too
 */
public record ValidateImageOptions(String image, String releaseLabel, String architecture, String python, String packageSpec,
        String confDir, String junit, boolean strict) {

    /**
     * The request for an image seen from {@code baseDir}: a saved image there becomes its absolute path (the engine
     * tells saved images and registry references apart by whether the path exists), and the package is
     * {@link #packageSpec} or, when {@code packaged} is given, that result's wheel (not both).
     */
    public ValidationRequest toRequest(Path baseDir, PackageResult packaged) {
        String where = text(image);
        if (where != null) {
            PackageOptions.checkPath("image", where);
            Path saved = baseDir.toAbsolutePath().normalize().resolve(where).normalize();
            if (Files.exists(saved)) {
                where = saved.toString();
            }
        }
        ValidationRequest request = new ValidationRequest(where, releaseLabel, architecture, python, null, null, confDir, strict);
        checkOnePackage(packageSpec, packaged != null);
        if (packaged != null) {
            return request.withPackage(packaged.distributionName(), packaged.packageVersion());
        }
        String[] spec = packageSpec(packageSpec);
        return request.withPackage(spec[0], spec[1]);
    }

    /** The JUnit XML file under {@code baseDir}, or {@code null} when none is asked for. */
    public Path junitFile(Path baseDir) {
        if (text(junit) == null) {
            return null;
        }
        PackageOptions.checkPath("junit", junit);
        return baseDir.toAbsolutePath().normalize().resolve(junit.strip()).normalize();
    }

    /**
     * The ECR registry the image is in, when {@link #image} is an ECR reference, else {@code null} (another registry,
     * or a saved image). Tells the caller to log in with ECR's GetAuthorizationToken.
     */
    public ImageReference ecrImage() {
        try {
            ImageReference ref = ImageReference.parse(text(image), "image");
            return ref.ecrAccountId() != null ? ref : null;
        } catch (InvalidInputException notAReference) {
            return null;
        }
    }

    /** The same options with every text field passed through {@code expand} (a freestyle job's ${VARIABLES}). */
    public ValidateImageOptions expand(UnaryOperator<String> x) {
        return new ValidateImageOptions(x.apply(image), x.apply(releaseLabel), x.apply(architecture), x.apply(python),
                x.apply(packageSpec), x.apply(confDir), x.apply(junit), strict);
    }

    /** A short description for a build's step list: the image and the release. No field of this step is secret. */
    public String summary() {
        return Summary.of(image, "(no image)").option(releaseLabel).option(architecture).option(strict, "strict").toString();
    }

    /** {@code name} or {@code name==version} as {@code [name, version]} (either may be null). */
    public static String[] packageSpec(String spec) {
        String s = text(spec);
        if (s == null) {
            return new String[] {null, null};
        }
        int eq = s.indexOf("==");
        return eq < 0 ? new String[] {s, null} : new String[] {s.substring(0, eq).strip(), s.substring(eq + 2).strip()};
    }

    /** The package is named or taken from a packaging result, not both (checked before the result is read). */
    public static void checkOnePackage(String packageSpec, boolean packageResultGiven) {
        if (packageResultGiven && text(packageSpec) != null) {
            throw new InvalidInputException("package", "both package and package-result were given", "Pass one of them");
        }
    }

    public static void checkImage(String value) {
        ValidationRequest.of(value);
        PackageOptions.checkPath("image", value);
    }

    public static void checkReleaseLabel(String value) {
        if (text(value) != null) {
            ReleaseProfiles.load(value);
        }
    }

    public static void checkArchitecture(String value) {
        if (text(value) != null) {
            ValidationRequest.normaliseArchitecture(value);
        }
    }

    public static void checkPython(String value) {
        ValidationRequest.of("image").withPython(value);
    }

    public static void checkPackage(String value) {
        String[] spec = packageSpec(value);
        ValidationRequest.of("image").withPackage(spec[0], spec[1]);
    }

    public static void checkConfDir(String value) {
        ValidationRequest.of("image").withConfDir(value);
    }

    public static void checkJunit(String value) {
        if (text(value) != null) {
            PackageOptions.checkPath("junit", value);
        }
    }

    private static String text(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
