package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of EMR Serverless inputs, done before any call with the service's own patterns (from its API model),
 * so a malformed value fails with one clear message naming the option instead of a ValidationException mid-flow.
 */
public final class EmrsInputs {
    private static final Pattern APPLICATION_ID = Pattern.compile("[0-9a-z]{1,64}");
    private static final Pattern JOB_RUN_ID = APPLICATION_ID;
    private static final Pattern ROLE_ARN = Pattern.compile(
            "arn:(aws[a-zA-Z0-9-]*):iam::([0-9]{12}):role/(?:[\\u0021-\\u007F]+/)?[\\w+=,.@-]+");
    private static final Pattern RELEASE_LABEL = Pattern.compile("emr-(\\d+)\\.(\\d+)\\.(\\d+)(?:-[0-9a-z]+)?");
    /** The service's ImageUri pattern: an ECR repository with a tag or a digest. */
    private static final Pattern IMAGE_URI = Pattern.compile("([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+).([a-z0-9._-]+)\\/"
            + "((?:[a-z0-9]+(?:[-._][a-z0-9]+)*/)*[a-z0-9]+(?:[-._][a-z0-9]+)*)"
            + "(?::([a-zA-Z0-9_]+[a-zA-Z0-9-._]*)|@(sha256:[0-9a-f]{64}))");
    private static final Pattern NAME = Pattern.compile("\\S(?:.{0,254}\\S)?", Pattern.DOTALL);
    /** Custom images need EMR 6.9.0 or later. */
    static final int[] FIRST_CUSTOM_IMAGE_RELEASE = {6, 9, 0};

    private EmrsInputs() {
    }

    public static String applicationId(String value) {
        return matching("application-id", value, APPLICATION_ID, "an EMR Serverless application id",
                "Use the id from the EMR Serverless console or `aws emr-serverless list-applications`, e.g. 00fabcdefgh12345");
    }

    public static String jobRunId(String value) {
        return matching("job-run-id", value, JOB_RUN_ID, "an EMR Serverless job run id",
                "Use the id printed at submission or `aws emr-serverless list-job-runs`");
    }

    public static String executionRoleArn(String value) {
        String v = matching("execution-role-arn", value, ROLE_ARN, "an IAM role ARN",
                "Use arn:aws:iam::<12-digit account>:role/<name> of the job runtime role");
        if (v.length() > 2048) {
            throw new InvalidInputException("execution-role-arn", "is longer than 2048 characters", null);
        }
        return v;
    }

    /** {@code emr-6.10.0}-style labels; custom images need 6.9.0 or later. */
    public static String releaseLabel(String value, boolean withCustomImage) {
        String v = matching("release-label", value, RELEASE_LABEL, "an EMR release label", "Write e.g. emr-7.1.0");
        Matcher m = RELEASE_LABEL.matcher(v);
        if (withCustomImage && m.matches() && compare(m, FIRST_CUSTOM_IMAGE_RELEASE) < 0) {
            throw new InvalidInputException("release-label", "EMR Serverless runs custom images from emr-6.9.0 on, not " + v,
                    "Use emr-6.9.0 or later (and the same release for the application and its image)");
        }
        return v;
    }

    /**
     * An image the service accepts: an ECR repository with a tag or, better, a digest
     * ({@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/repo@sha256:…}).
     */
    public static ImageReference imageUri(String value) {
        return imageUri(value, false);
    }

    /**
     * An image the service accepts; with {@code anyRegistry} (an AWS endpoint override such as LocalStack or moto, whose
     * ECR hands out registries of its own) an image in any registry, still with a tag or a digest.
     */
    public static ImageReference imageUri(String value, boolean anyRegistry) {
        if (anyRegistry && value != null && !value.isBlank()) {
            ImageReference image = ImageReference.parse(value.strip(), "image-uri");
            if (image.digest() == null && !value.strip().substring(value.strip().lastIndexOf('/') + 1).contains(":")) {
                throw new InvalidInputException("image-uri", "\"" + value.strip() + "\" has neither a tag nor a digest",
                        "Write <registry>/<repository>@sha256:<digest> (or :<tag>)");
            }
            return image;
        }
        String v = matching("image-uri", value, IMAGE_URI, "an Amazon ECR image URI",
                "EMR Serverless runs images from ECR only: <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<digest> "
                        + "(or :<tag>); other registries only against an AWS endpoint override such as LocalStack");
        return ImageReference.parse(v, "image-uri");
    }

    public static String imageDigest(String value) {
        return matching("expect-digest", value, Pattern.compile("sha256:[0-9a-f]{64}"), "an image digest",
                "Write sha256: followed by 64 lower-case hex digits");
    }

    /** The job run's name: 1 to 256 characters, not starting or ending with blanks. */
    public static String name(String value) {
        return matching("name", value, NAME, "a job run name", "Use 1 to 256 characters");
    }

    /** A timeout in whole minutes, at least {@code min}. */
    public static long minutes(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidInputException(field, "must be between " + min + " and " + max + " minutes, got " + value, null);
        }
        return value;
    }

    /**
     * A time limit typed in minutes, where 0 (or nothing) means {@code byDefault}: between 1 minute and {@code max}
     * otherwise.
     */
    public static Duration minutesOrDefault(String field, Long value, Duration byDefault, long max) {
        if (value == null || value == 0) {
            return byDefault;
        }
        return Duration.ofMinutes(minutes(field, value, 1, max));
    }

    /** A whole number typed in a form field: {@code null} when blank. */
    public static Long wholeNumber(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "\"" + text + "\" is not a whole number", "Type digits only, e.g. 30");
        }
    }

    /** A cancel's grace period in seconds: {@code null} for the service's default, else 0 or more. */
    public static Duration cancelGrace(Long seconds) {
        if (seconds == null) {
            return null;
        }
        if (seconds < 0 || seconds > Integer.MAX_VALUE) {
            throw new InvalidInputException("cancel-grace-period", "must be 0 or more seconds, got " + seconds,
                    "Pass how long Spark may shut down cleanly, in seconds, or nothing for the service's default");
        }
        return Duration.ofSeconds(seconds);
    }

    public static Duration positive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidInputException(field, "must be a positive duration, got " + value, "Pass a value above 0");
        }
        return value;
    }

    private static String matching(String field, String value, Pattern pattern, String what, String fix) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is required", fix);
        }
        String v = value.strip();
        if (!pattern.matcher(v).matches()) {
            throw new InvalidInputException(field, "\"" + value + "\" is not " + what, fix);
        }
        return v;
    }

    private static int compare(Matcher m, int[] version) {
        for (int i = 0; i < 3; i++) {
            int c = Integer.compare(Integer.parseInt(m.group(i + 1)), version[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
