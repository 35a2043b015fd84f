package io.jenkins.plugins.kedroemrs.core.aws;

import static io.jenkins.plugins.kedroemrs.core.util.Text.blankToNull;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Where and as whom to call AWS. Everything is optional: without a region the SDK's region chain decides
 * (AWS_REGION, profile, instance metadata); without a credentials provider the SDK's default chain does (environment,
 * profile, web identity, container and instance roles), so the steps also work inside {@code withAWS} or on an agent
 * with an instance profile.
 *
 * @param region           e.g. {@code eu-west-1}
 * @param endpointUrl      an endpoint for every service, e.g. {@code http://127.0.0.1:5000} for moto_server
 * @param credentials      the base credentials (e.g. from the Jenkins AWS Credentials plugin), or {@code null}
 * @param profile          a named profile of ~/.aws/config for the base credentials, or {@code null}
 * @param roleArn          a role to assume on top of the base credentials, or {@code null}
 * @param externalId       the external id the role's trust policy asks for, or {@code null}
 * @param roleSessionName  the session name of the assumed role (shows in CloudTrail), or {@code null}
 */
public record AwsSettings(String region, URI endpointUrl, AwsCredentialsProvider credentials, String profile, String roleArn,
        String externalId, String roleSessionName) {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

    public AwsSettings {
        region = blankToNull(region);
        profile = blankToNull(profile);
        roleArn = blankToNull(roleArn);
        externalId = blankToNull(externalId);
        roleSessionName = blankToNull(roleSessionName);
        if (region != null && !REGION.matcher(region).matches()) {
            throw new InvalidInputException("region", "\"" + region + "\" is not an AWS region", "Use a region code such as eu-west-1");
        }
        if (endpointUrl != null && (endpointUrl.getScheme() == null || endpointUrl.getHost() == null
                || !(endpointUrl.getScheme().equals("http") || endpointUrl.getScheme().equals("https")))) {
            throw new InvalidInputException("endpoint-url", "\"" + endpointUrl + "\" is not an http(s) URL",
                    "Use e.g. http://127.0.0.1:5000");
        }
        if (roleArn != null && !ROLE_ARN.matcher(roleArn).matches()) {
            throw new InvalidInputException("role-arn", "\"" + roleArn + "\" is not an IAM role ARN",
                    "Use arn:aws:iam::<12-digit account>:role/<name>");
        }
        if (externalId != null && roleArn == null) {
            throw new InvalidInputException("external-id", "an external id only makes sense with a role to assume",
                    "Also pass role-arn, or drop external-id");
        }
        if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
            throw new InvalidInputException("external-id", "the external id has characters or a length STS refuses",
                    "Use 2 to 1224 characters of letters, digits and +=,.@:/-");
        }
        if (credentials != null && profile != null) {
            throw new InvalidInputException("profile", "both a credentials provider and a profile were given",
                    "Pass one of them");
        }
    }

    /** The SDK's defaults for everything. */
    public static AwsSettings defaults() {
        return new AwsSettings(null, null, null, null, null, null, null);
    }

    /** Parses an endpoint URL option, naming the field on error. */
    public static URI endpoint(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            return new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException("endpoint-url", "\"" + url + "\" is not a URL (" + e.getReason() + ")",
                    "Use e.g. http://127.0.0.1:5000");
        }
    }

    public AwsSettings withRegion(String value) {
        return new AwsSettings(value, endpointUrl, credentials, profile, roleArn, externalId, roleSessionName);
    }

    public AwsSettings withEndpointUrl(URI value) {
        return new AwsSettings(region, value, credentials, profile, roleArn, externalId, roleSessionName);
    }

    public AwsSettings withCredentials(AwsCredentialsProvider value) {
        return new AwsSettings(region, endpointUrl, value, profile, roleArn, externalId, roleSessionName);
    }

    public AwsSettings withProfile(String value) {
        return new AwsSettings(region, endpointUrl, credentials, value, roleArn, externalId, roleSessionName);
    }

    public AwsSettings withRole(String arn, String external, String sessionName) {
        return new AwsSettings(region, endpointUrl, credentials, profile, arn, external, sessionName);
    }

    /** Never prints credentials: only where they come from. */
    @Override
    public String toString() {
        return "AwsSettings[region=" + region + ", endpointUrl=" + endpointUrl + ", credentials="
                + (credentials != null ? credentials.getClass().getSimpleName() : profile != null ? "profile " + profile : "default chain")
                + (roleArn != null ? ", role=" + roleArn : "") + "]";
    }

    /**
     * A role session name from a hint such as {@code jenkins-folder/job-42}: characters STS refuses become {@code -},
     * cut to STS's 64 characters (it shows in CloudTrail, so the hint should say which build assumed the role).
     */
    public static String roleSessionName(String hint) {
        String cleaned = hint == null ? "" : hint.replaceAll("[^\\w+=,.@-]", "-").replaceAll("-{2,}", "-");
        if (cleaned.length() < 2) {
            cleaned = "kedro-emrs";
        }
        return cleaned.length() > 64 ? cleaned.substring(cleaned.length() - 64) : cleaned;
    }
}
