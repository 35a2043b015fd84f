package io.jenkins.plugins.kedroemrs.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Descriptor;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.IamFixtures;
import io.jenkins.plugins.kedroemrs.core.polling.PollPolicy;
import io.jenkins.plugins.kedroemrs.core.testing.EmrServerlessMoto;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.jenkins.emrs.PollPolicies;
import java.time.Duration;
import java.util.List;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.DescribableParameter;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The AWS the plugin's tests run against: the engine's {@link EmrServerlessMoto} stand-in (moto's server with the EMR
 * Serverless job and application lifecycle moto leaves out, scripted per test, logging every request), reset to an
 * account with a bucket, a STARTED application and the job runtime role {@link #ROLE} (trusting EMR Serverless, with
 * S3 access to the bucket: what {@code emrsPreflight} checks). Pipelines reach it through the step environment
 * ({@link #withAws}: AWS_ENDPOINT_URL, region, moto's fake keys) or through AWS credentials with moto's keys
 * ({@link #addCredentials}). Polls are made fast: the stand-in moves one state per poll, the rhythm only costs time.
 */
public final class StandInAws {
    public static final String BUCKET = "kedro-emrs-test";
    public static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/emr-serverless-job";
    public static final String REPO = MotoServer.ACCOUNT + ".dkr.ecr." + MotoServer.REGION + ".amazonaws.com/kedro/greeter";
    public static final String DIGEST = "sha256:" + "1f".repeat(32);
    public static final String CREDENTIALS_ID = "moto";
    /** A trust policy that lets EMR Serverless assume the role. */
    public static final String TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": "
            + "{\"Service\": \"emr-serverless.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";

    public final EmrServerlessMoto moto;
    public final String applicationId;

    private StandInAws(EmrServerlessMoto moto, String applicationId) {
        this.moto = moto;
        this.applicationId = applicationId;
    }

    /** A fresh account on the shared stand-in (skips the test without moto, fails it under CI=true). */
    public static StandInAws start() throws Exception {
        EmrServerlessMoto moto = EmrServerlessMoto.shared();
        moto.reset();
        String app;
        try (AwsClientFactory aws = new AwsClientFactory(moto.settings())) {
            aws.s3().createBucket(b -> b.bucket(BUCKET));
            app = aws.emrServerless().createApplication(c -> c.name("kedro").releaseLabel("emr-6.10.0").type("SPARK")
                    .imageConfiguration(i -> i.imageUri(REPO + ":old"))).applicationId();
            IamFixtures iam = new IamFixtures(aws);
            iam.createRole("emr-serverless-job", TRUST);
            iam.putRolePolicy("emr-serverless-job", "access", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": "
                    + "\"Allow\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\"], \"Resource\": \"arn:aws:s3:::" + BUCKET + "/*\"}]}");
        }
        moto.clearCalls();
        fastPolls();
        return new StandInAws(moto, app);
    }

    /** Polls every few hundred milliseconds (the steps' timeouts still apply). */
    public static void fastPolls() {
        PollPolicies.override(PollPolicy.builder().fixed(Duration.ofMillis(300)).timeout(Duration.ofHours(1)).build(),
                PollPolicy.builder().fixed(Duration.ofMillis(200)).timeout(Duration.ofMinutes(15)).build());
    }

    /** A Pipeline block that runs {@code body} with the stand-in as the step environment's AWS. */
    public String withAws(String body) {
        return "withEnv(['AWS_ENDPOINT_URL=" + moto.endpoint() + "', 'AWS_REGION=" + MotoServer.REGION
                + "', 'AWS_ACCESS_KEY_ID=testing', 'AWS_SECRET_ACCESS_KEY=testing']) {\n" + body + "\n}";
    }

    /** AWS credentials with moto's keys, id {@link #CREDENTIALS_ID} (what a build uses when its environment is gone). */
    public static void addCredentials() throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new AWSCredentialsImpl(CredentialsScope.GLOBAL,
                CREDENTIALS_ID, "testing", "testing", "moto"));
        SystemCredentialsProvider.getInstance().save();
    }

    /** How many requests matched {@code regex} ({@code service METHOD /path}). */
    public long calls(String regex) throws Exception {
        return moto.calls().stream().filter(c -> c.matches(regex)).count();
    }

    public long startJobRuns() throws Exception {
        return calls("emr-serverless POST /applications/\\w+/jobruns");
    }

    public long cancelJobRuns() throws Exception {
        return calls("emr-serverless DELETE /applications/\\w+/jobruns/\\w+");
    }

    /** Every parameter of a step or describable has a help page (asked inside a request, as the form asks). */
    public static void assertEveryFieldHasHelp(JenkinsRule r, Descriptor<?> d) throws Exception {
        List<String> fields = new DescribableModel<>(d.clazz).getParameters().stream().map(DescribableParameter::getName).toList();
        assertThat(fields).isNotEmpty();
        for (String field : fields) {
            assertThat(r.executeOnServer(() -> d.getHelpFile(field))).as("help for " + d.clazz.getSimpleName() + "." + field).isNotNull();
        }
        assertThat(r.executeOnServer(() -> d.getHelpFile())).as("help for " + d.clazz.getSimpleName()).isNotNull();
    }

    public static void resetPolls() {
        PollPolicies.reset();
    }
}
