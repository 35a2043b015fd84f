package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.aws.IamFixtures;
import io.jenkins.plugins.kedroemrs.core.image.EcrPullPolicy;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.jenkins.StandInAws;
import java.util.Map;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * emrsPreflight against moto_server and the engine's stand-in, which adds iam:SimulatePrincipalPolicy (decided by
 * moto's own policy evaluator) where moto has none.
 */
@WithJenkins
class EmrsPreflightStepTest {
    @AfterEach
    void normalPolls() {
        StandInAws.resetPolls();
    }

    @Test
    void everyFieldSurvivesTheSnippetGeneratorAndHasHelp(JenkinsRule r) throws Exception {
        EmrsPreflightStep step = new EmrsPreflightStep("00fabcdefgh12345");
        step.setExecutionRoleArn(StandInAws.ROLE);
        step.setImageUri(StandInAws.REPO + ":1");
        step.setArchitecture("ARM64");
        step.setRepository(StandInAws.REPO);
        step.setEnsureRepository(true);
        step.setPullPolicyByBuild(true);
        step.setCodeUri("s3://b/code");
        step.setEntrypointUri("s3://b/code/entrypoint_greeter.py");
        step.setLogUri("s3://b/logs");
        step.setCloudWatchLogGroup("/aws/emr-serverless/kedro");
        step.setSparkConf("spark.executor.instances=4\nspark.executor.memory=8g");
        step.setSparkSubmitParameters("--conf spark.driver.cores=2");
        step.setJunit("reports/preflight.xml");
        step.setCredentialsId("aws");
        step.setRegion("us-east-1");
        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));
        r.assertEqualDataBoundBeans(new EmrsPreflightStep("00fabcdefgh12345"),
                new StepConfigTester(r).configRoundTrip(new EmrsPreflightStep("00fabcdefgh12345")));
        StandInAws.assertEveryFieldHasHelp(r, r.jenkins.getDescriptorByType(EmrsPreflightStep.DescriptorImpl.class));
        assertThat(r.jenkins.getDescriptorByType(EmrsPreflightStep.DescriptorImpl.class).argumentsToString(
                Map.of("applicationId", "00fabcdefgh12345", "imageUri", "repo:1"))).isEqualTo("00fabcdefgh12345 for repo:1");
    }

    @Test
    void aRightSetUpPassesAndTheScriptGetsTheReport(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        String role = StandInAws.ROLE;
        letTheApplicationPull(aws);
        WorkflowJob job = r.createProject(WorkflowJob.class, "preflight");
        job.setDefinition(new CpsFlowDefinition("node {\n" + aws.withAws("""
                def report = emrsPreflight applicationId: '%s', executionRoleArn: '%s', imageUri: '%s:1', architecture: 'X86_64',
                        codeUri: 's3://%s/code', logUri: 's3://%s/logs', sparkConf: 'spark.executor.instances=2',
                        junit: 'reports/preflight.xml'
                echo "passed=${report.passed} checks=${report.checks.size()} account=${report.account}"
                """.formatted(aws.applicationId, role, StandInAws.REPO, StandInAws.BUCKET, StandInAws.BUCKET)) + "\n}", true));
        WorkflowRun run = r.buildAndAssertSuccess(job);
        r.assertLogContains("JUnit XML: reports/preflight.xml (for the junit step)", run);
        assertThat(r.jenkins.getWorkspaceFor(job).child("reports/preflight.xml").readToString())
                .contains("<testsuite name=\"emrsPreflight\" tests=\"15\" failures=\"0\"", "name=\"role:log-write\"");
        r.assertLogContains("[emrsPreflight] ==> Preflight: application " + aws.applicationId + " in " + MotoServer.REGION, run);
        r.assertLogContains("role:log-write            PASS     the role may write the logs under s3://" + StandInAws.BUCKET
                + "/logs/", run);
        r.assertLogContains("ecr:pull-policy           PASS", run);
        r.assertLogContains("application:architecture  PASS     image and application are X86_64", run);
        r.assertLogContains("passed=true checks=15 account=" + MotoServer.ACCOUNT, run);
        r.assertLogNotContains(" FAIL ", run);
    }

    @Test
    void aRoleWithoutTrustFailsTheStepWithTheFix(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        String role;
        try (AwsClientFactory c = new AwsClientFactory(aws.moto.settings())) {
            role = new IamFixtures(c).createRole("ec2-only", StandInAws.TRUST.replace("emr-serverless.amazonaws.com",
                    "ec2.amazonaws.com"));
        }
        aws.moto.clearCalls();
        WorkflowJob job = r.createProject(WorkflowJob.class, "untrusted");
        job.setDefinition(new CpsFlowDefinition(aws.withAws("emrsPreflight applicationId: '" + aws.applicationId
                + "', executionRoleArn: '" + role + "', codeUri: 's3://" + StandInAws.BUCKET + "/code'"), true));
        WorkflowRun run = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        r.assertLogContains("ERROR: Preflight failed: role: " + role + "'s trust policy does not let emr-serverless.amazonaws.com "
                + "assume it: add {\"Effect\": \"Allow\"", run);
        r.assertLogContains("FAILED: ", run);
        r.assertLogNotContains("at io.jenkins.plugins.kedroemrs", run);
    }

    @Test
    void badInputFailsBeforeAnyCall(JenkinsRule r) throws Exception {
        StandInAws aws = StandInAws.start();
        WorkflowJob job = r.createProject(WorkflowJob.class, "bad");
        job.setDefinition(new CpsFlowDefinition(aws.withAws("emrsPreflight applicationId: '" + aws.applicationId
                + "', architecture: 'sparc', logUri: 'logs/here'"), true));
        WorkflowRun run = r.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        r.assertLogContains("\"sparc\" is not an architecture of EMR Serverless", run);
        r.assertLogContains("log-uri", run);
        r.assertLogNotContains("at io.jenkins.plugins.kedroemrs", run);
        // The JUnit XML goes into a workspace: without node { } there is none, which is said before any call.
        WorkflowJob noNode = r.createProject(WorkflowJob.class, "no-node");
        noNode.setDefinition(new CpsFlowDefinition(aws.withAws("emrsPreflight applicationId: '" + aws.applicationId
                + "', junit: 'reports/preflight.xml'"), true));
        r.assertLogContains("junit: the JUnit XML goes into the workspace, and there is none here",
                r.assertBuildStatus(Result.FAILURE, noNode.scheduleBuild2(0)));
        assertThat(aws.moto.calls()).isEmpty();
    }

    /** The application's image repository, with a policy that lets the application pull. */
    private static void letTheApplicationPull(StandInAws aws) throws Exception {
        try (AwsClientFactory c = new AwsClientFactory(aws.moto.settings())) {
            String repository = StandInAws.REPO.substring(StandInAws.REPO.indexOf('/') + 1);
            c.ecr().createRepository(x -> x.repositoryName(repository));
            String appArn = EcrPullPolicy.applicationArn(MotoServer.REGION, MotoServer.ACCOUNT, aws.applicationId);
            c.ecr().setRepositoryPolicy(p -> p.repositoryName(repository).policyText(EcrPullPolicy.merge(null, appArn).orElseThrow()));
        }
        aws.moto.clearCalls();
    }
}
