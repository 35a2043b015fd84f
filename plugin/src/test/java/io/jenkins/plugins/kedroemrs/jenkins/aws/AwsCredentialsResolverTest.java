package io.jenkins.plugins.kedroemrs.jenkins.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.EnvVars;
import hudson.model.FreeStyleBuild;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import io.jenkins.plugins.kedroemrs.core.aws.CachingCredentialsProvider;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class AwsCredentialsResolverTest {

    static void add(AWSCredentialsImpl c) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(c);
        SystemCredentialsProvider.getInstance().save();
    }

    @Test
    void aCredentialsIdBecomesACachedSdkProviderWithTheStepsRegion(JenkinsRule r) throws Exception {
        add(new AWSCredentialsImpl(CredentialsScope.GLOBAL, "aws", "AKIAEXAMPLE", "secret-key-1", "deployer"));
        FreeStyleBuild run = r.buildAndAssertSuccess(r.createFreeStyleProject("app"));
        EnvVars env = new EnvVars("AWS_REGION", "us-east-2", "AWS_ACCESS_KEY_ID", "ignored", "AWS_SECRET_ACCESS_KEY", "ignored");

        AwsSettings s = AwsCredentialsResolver.resolve(run, "aws", "eu-west-1", null, null, env);
        assertThat(s.region()).isEqualTo("eu-west-1");
        assertThat(s.credentials()).isInstanceOf(CachingCredentialsProvider.class);
        assertThat(s.credentials().resolveCredentials().accessKeyId()).isEqualTo("AKIAEXAMPLE");
        assertThat(s.toString()).doesNotContain("secret-key-1");
    }

    @Test
    void withoutACredentialsIdTheStepEnvironmentIsUsed(JenkinsRule r) throws Exception {
        FreeStyleBuild run = r.buildAndAssertSuccess(r.createFreeStyleProject("ambient"));
        EnvVars env = new EnvVars("AWS_REGION", "us-east-2", "AWS_ACCESS_KEY_ID", "AKIAFROMWITHAWS",
                "AWS_SECRET_ACCESS_KEY", "x", "AWS_SESSION_TOKEN", "t");
        AwsSettings s = AwsCredentialsResolver.resolve(run, "", null,
                "arn:aws:iam::123456789012:role/deployer", "ext-1", env);
        assertThat(s.region()).isEqualTo("us-east-2");
        assertThat(s.credentials().resolveCredentials().accessKeyId()).isEqualTo("AKIAFROMWITHAWS");
        assertThat(s.roleArn()).endsWith(":role/deployer");
        assertThat(s.roleSessionName()).isEqualTo("jenkins-ambient-1");
    }

    @Test
    void unknownAndMfaCredentialsAreRefusedByName(JenkinsRule r) throws Exception {
        add(new AWSCredentialsImpl(CredentialsScope.GLOBAL, "mfa", "AKIA", "s", "needs a token",
                "arn:aws:iam::123456789012:role/x", "arn:aws:iam::123456789012:mfa/me"));
        FreeStyleBuild run = r.buildAndAssertSuccess(r.createFreeStyleProject("refused"));
        assertThatThrownBy(() -> AwsCredentialsResolver.resolve(run, "nope", null, null, null, new EnvVars()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("credentialsId"))
                .hasMessageContaining("no AWS credentials with id \"nope\"");
        assertThatThrownBy(() -> AwsCredentialsResolver.resolve(run, "mfa", null, null, null, new EnvVars()))
                .hasMessageContaining("need an MFA token");
    }

    @Test
    void anAssumedRoleIsCachedForLessThanItsSession(JenkinsRule r) {
        AWSCredentialsImpl role = new AWSCredentialsImpl(CredentialsScope.GLOBAL, "role", "AKIA", "s", "role",
                "arn:aws:iam::123456789012:role/x", null);
        assertThat(AwsCredentialsResolver.maxAge(role)).isEqualTo(Duration.ofSeconds(3600).minus(CachingCredentialsProvider.REFRESH_AHEAD));
        AWSCredentialsImpl keys = new AWSCredentialsImpl(CredentialsScope.GLOBAL, "keys", "AKIA", "s", "keys");
        assertThat(AwsCredentialsResolver.maxAge(keys)).isEqualTo(AwsCredentialsResolver.DEFAULT_MAX_AGE);
    }
}
