package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Item;
import java.net.URL;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The form endpoints of emrsBuildImage, emrsValidateImage, emrsRestartApp and emrsSubmit: POST only, the permission to configure the
 * job first (403 without it), then the engine's own checks and messages.
 */
@WithJenkins
class EmrsFormsTest {

    static String url(WorkflowJob job, Class<?> step, String method) {
        return job.getUrl() + "descriptorByName/" + step.getName() + "/" + method;
    }

    @Test
    void formEndpointsNeedConfigurePermissionAndSayWhatTheEngineSays(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader"));
        WorkflowJob job = r.createProject(WorkflowJob.class, "forms");
        String[] endpoints = {
            url(job, EmrsValidateImageStep.class, "checkImage?value=app:1"),
            url(job, EmrsValidateImageStep.class, "checkReleaseLabel?value=emr-5.36.0"),
            url(job, EmrsValidateImageStep.class, "fillReleaseLabelItems"),
            url(job, EmrsRestartAppStep.class, "checkApplicationId?value=x"),
            url(job, EmrsRestartAppStep.class, "checkImageUri?value=x"),
            url(job, EmrsRestartAppStep.class, "fillRunningJobsItems"),
            url(job, EmrsRestartAppStep.class, "fillRegionItems"),
            url(job, EmrsRestartAppStep.class, "checkRegion?value=Frankfurt"),
            url(job, EmrsSubmitStep.class, "checkExecutionRoleArn?value=my-role"),
            url(job, EmrsSubmitStep.class, "checkSparkConf?value=spark.pyspark.python%3D%2Fusr%2Fbin%2Fpython3"),
            url(job, EmrsSubmitStep.class, "checkParams?value=alpha"),
            url(job, EmrsBuildImageStep.class, "checkRepository?value=app%40sha256%3A" + "a".repeat(64)),
            url(job, EmrsBuildImageStep.class, "checkApplicationId?value=00fabcdefgh12345&repository=127.0.0.1%3A5000%2Fkedro%2Fx"),
            url(job, EmrsBuildImageStep.class, "fillToolNameItems"),
            url(job, EmrsBuildImageStep.class, "checkBuildArgs?value=NO_EQUALS"),
        };
        try (JenkinsRule.WebClient wc = r.createWebClient()) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            wc.login("reader");
            for (String endpoint : endpoints) {
                assertThat(post(wc, endpoint).getStatusCode()).as(endpoint).isEqualTo(403);
            }
        }
        try (JenkinsRule.WebClient wc = r.createWebClient()) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            wc.login("admin");
            assertThat(post(wc, endpoints[1]).getContentAsString()).contains("is not a release label this version knows");
            assertThat(post(wc, endpoints[2]).getContentAsString()).contains("emr-6.10.0");
            assertThat(post(wc, endpoints[4]).getContentAsString()).contains("is not an Amazon ECR image URI");
            assertThat(post(wc, endpoints[7]).getContentAsString()).contains("is not an AWS region");
            assertThat(post(wc, endpoints[8]).getContentAsString()).contains("is not an IAM role ARN");
            assertThat(post(wc, endpoints[9]).getContentAsString()).contains("would run another Python");
            assertThat(post(wc, endpoints[10]).getContentAsString()).contains("is not name=value");
            assertThat(post(wc, endpoints[11]).getContentAsString()).contains("names a digest");
            assertThat(post(wc, endpoints[12]).getContentAsString()).contains("is not an ECR registry");
            assertThat(post(wc, endpoints[13]).getContentAsString()).contains("docker or podman on the agent");
            assertThat(post(wc, endpoints[14]).getContentAsString()).contains("is not NAME=VALUE");
            assertThat(post(wc, url(job, EmrsRestartAppStep.class, "checkApplicationId?value=00fabcdefgh12345"))
                    .getContentAsString()).contains("<div/>");
            WebResponse get = wc.getPage(new WebRequest(new URL(wc.getContextPath() + endpoints[0]), HttpMethod.GET)).getWebResponse();
            // Stapler's @POST cancels the dispatch of any other verb, so no method answers: 404.
            assertThat(get.getStatusCode()).isEqualTo(404);
        }
    }

    static WebResponse post(JenkinsRule.WebClient wc, String relative) throws Exception {
        WebRequest req = new WebRequest(new URL(wc.getContextPath() + relative), HttpMethod.POST);
        wc.addCrumb(req);
        return wc.getPage(req).getWebResponse();
    }
}
