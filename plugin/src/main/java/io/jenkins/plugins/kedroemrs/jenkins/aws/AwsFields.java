package io.jenkins.plugins.kedroemrs.jenkins.aws;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import java.io.Serializable;
import java.util.Map;

/**
 * The AWS fields of a step, kept by what outlives the step object: a step execution across a controller restart, a
 * build's job run action for the dashboard link. Ids and names only, nothing secret: the credentials are looked up
 * again by id ({@link AwsCredentialsResolver}) whenever settings are needed.
 *
 * <p>A plain class of strings (not a record), so Java serialization (a Pipeline's program.dat) and XStream (build.xml)
 * both keep it as it is.
 */
public final class AwsFields implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String credentialsId;
    private final String region;
    private final String roleArn;
    private final String externalId;
    /** An endpoint for every service, from the step's AWS_ENDPOINT_URL (a local stand-in), or null. */
    private final String endpointUrl;

    public AwsFields(@CheckForNull String credentialsId, @CheckForNull String region, @CheckForNull String roleArn,
            @CheckForNull String externalId) {
        this(credentialsId, region, roleArn, externalId, null);
    }

    private AwsFields(String credentialsId, String region, String roleArn, String externalId, String endpointUrl) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        this.region = Util.fixEmptyAndTrim(region);
        this.roleArn = Util.fixEmptyAndTrim(roleArn);
        this.externalId = Util.fixEmptyAndTrim(externalId);
        this.endpointUrl = Util.fixEmptyAndTrim(endpointUrl);
    }

    /**
     * The settings for {@code run}, with what the fields leave open taken from {@code env} (the step's environment:
     * {@code withAWS}, {@code withCredentials}, {@code withEnv}) and then the SDK's default chain.
     */
    @NonNull
    public AwsSettings settings(@NonNull Run<?, ?> run, @CheckForNull EnvVars env) {
        EnvVars e = env == null ? new EnvVars() : new EnvVars(env);
        if (endpointUrl != null && !e.containsKey("AWS_ENDPOINT_URL")) {
            e.put("AWS_ENDPOINT_URL", endpointUrl);
        }
        return AwsCredentialsResolver.resolve(run, credentialsId, region, roleArn, externalId, e);
    }

    /**
     * These fields, completed with what {@code settings} resolved that can be looked up again later without the step's
     * environment: the region and the endpoint. For the job run action, whose dashboard link is clicked long after.
     */
    public AwsFields resolvedWith(@NonNull AwsSettings settings, @NonNull String resolvedRegion) {
        return new AwsFields(credentialsId, resolvedRegion, roleArn, externalId,
                settings.endpointUrl() == null ? null : settings.endpointUrl().toString());
    }

    /** These fields with {@code defaultRegion} when they name no region. */
    public AwsFields withRegionIfUnset(@CheckForNull String defaultRegion) {
        return region != null ? this : new AwsFields(credentialsId, defaultRegion, roleArn, externalId, endpointUrl);
    }

    /** The same fields with {@code ${VARIABLES}} of a freestyle build expanded. */
    public AwsFields expand(@NonNull Map<String, String> env) {
        return new AwsFields(Util.replaceMacro(credentialsId, env), Util.replaceMacro(region, env), Util.replaceMacro(roleArn, env),
                Util.replaceMacro(externalId, env), endpointUrl);
    }

    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @CheckForNull
    public String getRegion() {
        return region;
    }

    @Override
    public String toString() {
        return "AwsFields[credentialsId=" + credentialsId + ", region=" + region + ", roleArn=" + roleArn + "]";
    }
}
