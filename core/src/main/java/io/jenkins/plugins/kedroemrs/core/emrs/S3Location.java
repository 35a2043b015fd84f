package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/key} location, checked when parsed (S3's bucket naming rules), so a typo fails before any
 * call rather than as an AccessDenied from the service.
 *
 * @param bucket the bucket
 * @param key    the key or prefix, without a leading {@code /}; may be empty
 */
public record S3Location(String bucket, String key) {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    /** Parses {@code s3://bucket[/key]}; {@code field} names the option in the error. */
    public static S3Location parse(String uri, String field) {
        if (uri == null || uri.isBlank()) {
            throw new InvalidInputException(field, "no S3 location given", "Pass an s3://bucket/prefix URI");
        }
        String text = uri.strip();
        if (!text.startsWith("s3://")) {
            throw new InvalidInputException(field, "\"" + uri + "\" is not an s3:// URI",
                    "Write s3://bucket/prefix (not s3a://, not an https:// URL)");
        }
        String rest = text.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..") || IP_ADDRESS.matcher(bucket).matches()) {
            throw new InvalidInputException(field, "\"" + bucket + "\" in \"" + uri + "\" is not a valid S3 bucket name",
                    "Bucket names have 3 to 63 lower-case letters, digits, dots and hyphens, and start and end with a letter or digit");
        }
        if (key.startsWith("/") || key.contains("//")) {
            throw new InvalidInputException(field, "\"" + uri + "\" has an empty path segment (//)", "Remove the doubled slash");
        }
        return new S3Location(bucket, key);
    }

    /** Parses the location of one object (a script), not a prefix. */
    public static S3Location script(String uri, String field) {
        S3Location location = parse(uri, field);
        if (location.key().isEmpty() || location.key().endsWith("/")) {
            throw new InvalidInputException(field, "\"" + uri + "\" names a prefix, not a script", "Pass the script's full S3 URI");
        }
        return location;
    }

    /** This location as a prefix: its key ends with {@code /} (or is empty, for the bucket root). */
    public S3Location asPrefix() {
        return key.isEmpty() || key.endsWith("/") ? this : new S3Location(bucket, key + "/");
    }

    /** A location under this prefix. */
    public S3Location resolve(String relative) {
        return new S3Location(bucket, asPrefix().key + relative);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
