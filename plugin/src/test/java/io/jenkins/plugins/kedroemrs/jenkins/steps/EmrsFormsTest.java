package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import jenkins.security.QueueItemAuthenticator;
import jenkins.security.QueueItemAuthenticatorProvider;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.springframework.security.core.Authentication;

/**
 * The form endpoints of emrsBuildImage, emrsValidateImage, emrsRestartApp and emrsSubmit: POST only; the static lists
 * and the syntax checks (the engine's own checks and messages) answer every user who may read Jenkins, in a job and in
 * the global Snippet Generator (no 403 under every field for a non-admin on /pipeline-syntax); the credentials list
 * shows only what the user may see.
 */
@WithJenkins
class EmrsFormsTest {

    static String url(WorkflowJob job, Class<?> step, String method) {
        return (job == null ? "" : job.getUrl()) + "descriptorByName/" + step.getName() + "/" + method;
    }

    @Test
    void syntaxChecksAndStaticListsAnswerEveryReaderWithWhatTheEngineSays(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "forms");
        for (WorkflowJob in : new WorkflowJob[] {job, null}) { // a job's configure page, the global Snippet Generator
            try (JenkinsRule.WebClient wc = r.createWebClient()) {
                wc.setThrowExceptionOnFailingStatusCode(false);
                wc.login("reader");
                assertThat(answer(wc, url(in, EmrsValidateImageStep.class, "checkReleaseLabel?value=emr-5.36.0")))
                        .contains("is not a release label this version knows");
                assertThat(answer(wc, url(in, EmrsValidateImageStep.class, "fillReleaseLabelItems"))).contains("emr-6.10.0");
                assertThat(answer(wc, url(in, EmrsRestartAppStep.class, "checkImageUri?value=x"))).contains("is not an Amazon ECR image URI");
                assertThat(answer(wc, url(in, EmrsRestartAppStep.class, "fillRunningJobsItems"))).contains("wait");
                assertThat(answer(wc, url(in, EmrsRestartAppStep.class, "checkRegion?value=Frankfurt"))).contains("is not an AWS region");
                assertThat(answer(wc, url(in, EmrsSubmitStep.class, "checkExecutionRoleArn?value=my-role"))).contains("is not an IAM role ARN");
                assertThat(answer(wc, url(in, EmrsSubmitStep.class, "checkSparkConf?value=spark.pyspark.python%3D%2Fusr%2Fbin%2Fpython3")))
                        .contains("would run another Python");
                assertThat(answer(wc, url(in, EmrsSubmitStep.class, "checkParams?value=alpha"))).contains("is not name=value");
                assertThat(answer(wc, url(in, EmrsBuildImageStep.class, "checkRepository?value=app%40sha256%3A" + "a".repeat(64))))
                        .contains("names a digest");
                assertThat(answer(wc, url(in, EmrsBuildImageStep.class,
                        "checkApplicationId?value=00fabcdefgh12345&repository=127.0.0.1%3A5000%2Fkedro%2Fx"))).contains("is not an ECR registry");
                assertThat(answer(wc, url(in, EmrsBuildImageStep.class, "fillToolNameItems"))).contains("docker or podman on the agent");
                assertThat(answer(wc, url(in, EmrsBuildImageStep.class, "checkBuildArgs?value=NO_EQUALS"))).contains("is not NAME=VALUE");
                assertThat(answer(wc, url(in, KedroPackageStep.class, "checkConfExcludes?value=..%2Fup"))).contains("is not a path inside conf/");
                assertThat(answer(wc, url(in, KedroPackageStep.class, "fillWheelBuilderItems"))).contains("uv build --wheel");
                assertThat(answer(wc, url(in, EmrsRestartAppStep.class, "checkApplicationId?value=00fabcdefgh12345"))).contains("<div/>");
                // A region this SDK does not list (newer, ${AWS_REGION}, set by JCasC) stays in the list, selected.
                JsonNode future = Json.MAPPER.readTree(answer(wc, url(in, EmrsSubmitStep.class, "fillRegionItems?region=ap-future-9")));
                assertThat(values(future, false)).contains("", "ap-future-9", "eu-west-1", "us-east-1");
                assertThat(values(future, true)).containsExactly("ap-future-9");
                JsonNode known = Json.MAPPER.readTree(answer(wc, url(in, EmrsSubmitStep.class, "fillRegionItems?region=eu-west-1")));
                assertThat(values(known, true)).containsExactly("eu-west-1");
                assertThat(values(known, false)).doesNotContain("ap-future-9");
                // The credentials list shows a reader nothing but the current value.
                JsonNode credentials = Json.MAPPER.readTree(answer(wc, url(in, EmrsSubmitStep.class,
                        "fillCredentialsIdItems?credentialsId=mine")));
                assertThat(values(credentials, false)).containsExactly("mine");
                WebResponse get = wc.getPage(new WebRequest(new URL(wc.getContextPath() + url(in, EmrsValidateImageStep.class,
                        "checkImage?value=app:1")), HttpMethod.GET)).getWebResponse();
                // Stapler's @POST cancels the dispatch of any other verb, so no method answers: 404.
                assertThat(get.getStatusCode()).isEqualTo(404);
            }
        }
    }

    /**
     * With Authorize Project (a queue item authenticator) a build looks credentials up as the user it runs as, so the
     * credentials list does too: it offers what the build can use (bob's own), not what SYSTEM sees (the global ones).
     */
    @Test
    void credentialsAreListedAsTheBuildWillLookThemUp(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy().grant(Jenkins.ADMINISTER).everywhere().to("admin", "bob"));
        SystemCredentialsProvider.getInstance().getCredentials().add(new AWSCredentialsImpl(CredentialsScope.GLOBAL, "global-aws",
                "testing", "testing", "for every job run as SYSTEM"));
        User bob = User.getById("bob", true);
        try (ACLContext as = ACL.as2(bob.impersonate2())) {
            CredentialsProvider.lookupStores(bob).iterator().next().addCredentials(Domain.global(),
                    new AWSCredentialsImpl(CredentialsScope.USER, "bobs-aws", "testing", "testing", "bob's own"));
        }
        WorkflowJob job = r.createProject(WorkflowJob.class, "as-bob");
        try (JenkinsRule.WebClient wc = r.createWebClient()) {
            wc.login("admin");
            JsonNode listed = Json.MAPPER.readTree(answer(wc, url(job, EmrsSubmitStep.class, "fillCredentialsIdItems?credentialsId=")));
            assertThat(values(listed, false)).contains("bobs-aws").doesNotContain("global-aws");
        }
    }

    /** Every job's builds run as bob (as Authorize Project's "run as a specific user" does). */
    @TestExtension("credentialsAreListedAsTheBuildWillLookThemUp")
    public static final class RunAsBob extends QueueItemAuthenticatorProvider {
        @Override
        public List<QueueItemAuthenticator> getAuthenticators() {
            return List.of(new QueueItemAuthenticator() {
                @Override
                public Authentication authenticate2(Queue.Task task) {
                    return User.getById("bob", true).impersonate2();
                }

                @Override
                public Authentication authenticate2(Queue.Item item) {
                    return authenticate2(item.task);
                }
            });
        }
    }

    /** The values of a list box's options (only the selected ones with {@code selectedOnly}). */
    static List<String> values(JsonNode listBox, boolean selectedOnly) {
        List<String> values = new ArrayList<>();
        for (JsonNode option : listBox.path("values")) {
            if (!selectedOnly || option.path("selected").asBoolean()) {
                values.add(option.path("value").asText());
            }
        }
        return values;
    }

    /** The answer of a POST that must succeed. */
    static String answer(JenkinsRule.WebClient wc, String relative) throws Exception {
        WebResponse response = post(wc, relative);
        assertThat(response.getStatusCode()).as(relative).isEqualTo(200);
        return response.getContentAsString();
    }

    static WebResponse post(JenkinsRule.WebClient wc, String relative) throws Exception {
        WebRequest req = new WebRequest(new URL(wc.getContextPath() + relative), HttpMethod.POST);
        wc.addCrumb(req);
        return wc.getPage(req).getWebResponse();
    }
}
