package io.jenkins.plugins.kedroemrs.core.aws;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Fills what settings leave open from a step's environment, the way the AWS CLI would read it: {@code AWS_REGION}
 * (or {@code AWS_DEFAULT_REGION}), {@code AWS_ACCESS_KEY_ID} + {@code AWS_SECRET_ACCESS_KEY} (+ {@code AWS_SESSION_TOKEN}),
 * {@code AWS_PROFILE} and {@code AWS_ENDPOINT_URL}.
 *
 * <p>A Jenkins step's environment is not its JVM's: {@code withAWS}, {@code withCredentials} and {@code withEnv} set
 * these variables for the steps inside them only, so the SDK's default chain (which reads the JVM's environment) would
 * not see them. Whatever this environment does not give is left to the SDK's default chain (web identity, container
 * and instance roles), so an agent with an instance profile still works.
 */
public final class AmbientAws {
    private AmbientAws() {
    }

    /**
     * {@code settings} with region, credentials and endpoint taken from {@code env} where the settings give none.
     * Explicit settings always win; credentials are taken from the environment only when neither a credentials
     * provider nor a profile was configured.
     */
    public static AwsSettings fill(AwsSettings settings, Map<String, String> env) {
        AwsSettings s = settings == null ? AwsSettings.defaults() : settings;
        if (env == null || env.isEmpty()) {
            return s;
        }
        if (s.region() == null) {
            String region = first(env, "AWS_REGION", "AWS_DEFAULT_REGION");
            if (region != null) {
                s = s.withRegion(region);
            }
        }
        if (s.endpointUrl() == null && first(env, "AWS_ENDPOINT_URL") != null) {
            s = s.withEndpointUrl(AwsSettings.endpoint(first(env, "AWS_ENDPOINT_URL")));
        }
        if (s.credentials() == null && s.profile() == null) {
            String key = first(env, "AWS_ACCESS_KEY_ID");
            String secret = first(env, "AWS_SECRET_ACCESS_KEY");
            String token = first(env, "AWS_SESSION_TOKEN");
            if (key != null && secret != null) {
                AwsCredentials c = token != null ? AwsSessionCredentials.create(key, secret, token)
                        : AwsBasicCredentials.create(key, secret);
                s = s.withCredentials(StaticCredentialsProvider.create(c));
            } else if (first(env, "AWS_PROFILE") != null) {
                s = s.withProfile(first(env, "AWS_PROFILE"));
            }
        }
        return s;
    }

    /**
     * Whether the credentials {@link #fill} would take from {@code env} are a session ({@code AWS_SESSION_TOKEN}, as
     * {@code withAWS(role: …)}, {@code withCredentials} of an assumed role or {@code aws sts assume-role} leave them):
     * they last about an hour and nothing can refresh them, so a longer wait outlives them. {@code false} when
     * {@code settings} name credentials or a profile of their own.
     */
    public static boolean sessionFromEnvironment(AwsSettings settings, Map<String, String> env) {
        if (env == null || settings != null && (settings.credentials() != null || settings.profile() != null)) {
            return false;
        }
        return first(env, "AWS_ACCESS_KEY_ID") != null && first(env, "AWS_SECRET_ACCESS_KEY") != null
                && first(env, "AWS_SESSION_TOKEN") != null;
    }

    /** What to tell a user whose long wait rests on {@link #sessionFromEnvironment session credentials}. */
    public static String sessionWarning(String refreshedCredentials) {
        return "The AWS credentials come from the environment as a session (AWS_SESSION_TOKEN): it lasts about an hour "
                + "and is not refreshed, so this wait may outlive it (then the job run goes on and cannot be cancelled "
                + "from here). For long waits use " + refreshedCredentials + " or an instance profile / IAM role of the machine";
    }

    /**
     * Whether {@code env} sends AWS calls to an endpoint override ({@code AWS_ENDPOINT_URL}: LocalStack, moto), where
     * the service, not AWS, says which images and registries it accepts.
     */
    public static boolean endpointOverridden(Map<String, String> env) {
        return env != null && first(env, "AWS_ENDPOINT_URL") != null;
    }

    private static String first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
