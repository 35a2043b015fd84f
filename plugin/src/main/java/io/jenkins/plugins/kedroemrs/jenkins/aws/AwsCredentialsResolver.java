package io.jenkins.plugins.kedroemrs.jenkins.aws;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AmbientAws;
import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import io.jenkins.plugins.kedroemrs.core.aws.CachingCredentialsProvider;
import java.time.Duration;

/**
 * Turns a step's AWS fields into the engine's {@link AwsSettings}.
 *
 * <ul>
 *   <li>{@code credentialsId}: an AWS Credentials plugin credential, looked up for the build (so folder credentials
 *       and credentials domains work, and its use is tracked). Its {@code AwsCredentialsProvider} is wrapped in a
 *       {@link CachingCredentialsProvider}: with an IAM role it calls AssumeRole on every resolve, which would happen
 *       on every SDK request otherwise. Credentials that need an MFA token are refused: a build cannot type one.</li>
 *   <li>{@code roleArn} + {@code externalId}: a role assumed on top (by the engine, once per session).</li>
 *   <li>{@code region}.</li>
 *   <li>Whatever is left open comes from the step's environment ({@code withAWS}, {@code withCredentials},
 *       {@code withEnv}: AWS_REGION, AWS_ACCESS_KEY_ID ...), then from the SDK's default chain (instance profile).</li>
 * </ul>
 */
public final class AwsCredentialsResolver {
    /** How long credentials without an expiry are reused when nothing better is known. */
    static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(15);

    private AwsCredentialsResolver() {
    }

    @NonNull
    public static AwsSettings resolve(@NonNull Run<?, ?> run, @CheckForNull String credentialsId, @CheckForNull String region,
            @CheckForNull String roleArn, @CheckForNull String externalId, @CheckForNull EnvVars env) {
        AwsSettings settings = new AwsSettings(region, null, null, null, roleArn, externalId,
                AwsSettings.roleSessionName("jenkins-" + run.getParent().getFullName() + "-" + run.getNumber()));
        String id = Util.fixEmptyAndTrim(credentialsId);
        if (id != null) {
            AmazonWebServicesCredentials c = CredentialsProvider.findCredentialById(id, AmazonWebServicesCredentials.class, run);
            if (c == null) {
                throw new InvalidInputException("credentialsId", "no AWS credentials with id \"" + id + "\" are visible to "
                        + run.getParent().getFullName(), "Add them under Manage Jenkins » Credentials (kind \"AWS Credentials\")"
                        + " in a scope this job sees, or leave credentialsId empty to use the environment's");
            }
            if (c instanceof AWSCredentialsImpl impl && impl.requiresToken()) {
                throw new InvalidInputException("credentialsId", "the AWS credentials \"" + id + "\" need an MFA token",
                        "A build cannot type one: use credentials without an MFA serial number, or a role (roleArn)");
            }
            CredentialsProvider.track(run, c);
            settings = settings.withCredentials(CachingCredentialsProvider.wrap(c, maxAge(c)));
        }
        return AmbientAws.fill(settings, env);
    }

    /** Below the session length of an assumed role (AWS Credentials' "STS token duration"), else a quarter hour. */
    static Duration maxAge(AmazonWebServicesCredentials c) {
        if (c instanceof AWSCredentialsImpl impl && Util.fixEmptyAndTrim(impl.getIamRoleArn()) != null) {
            Integer seconds = impl.getStsTokenDuration();
            long s = seconds == null ? 3600 : seconds;
            return Duration.ofSeconds(Math.max(300, s - CachingCredentialsProvider.REFRESH_AHEAD.toSeconds()));
        }
        return DEFAULT_MAX_AGE;
    }
}
