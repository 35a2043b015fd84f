package io.jenkins.plugins.kedroemrs.jenkins.aws;

import static io.jenkins.plugins.kedroemrs.core.util.Text.orEmpty;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * A Pipeline step that calls AWS: the four optional AWS fields every such step has, as {@code @DataBoundSetter}s
 * (credentials id, region, role ARN, external id). The checks and fills of their form fields are
 * {@link AwsStepDescriptor}'s.
 */
public abstract class AwsStep extends Step {
    private String credentialsId = "";
    private String region = "";
    private String roleArn = "";
    private String externalId = "";

    public String getCredentialsId() {
        return credentialsId;
    }

    /** An AWS Credentials plugin credential; empty: the step's environment (withAWS, instance profile). */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = orEmpty(credentialsId);
    }

    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        this.region = orEmpty(region);
    }

    public String getRoleArn() {
        return roleArn;
    }

    @DataBoundSetter
    public void setRoleArn(String roleArn) {
        this.roleArn = orEmpty(roleArn);
    }

    public String getExternalId() {
        return externalId;
    }

    @DataBoundSetter
    public void setExternalId(String externalId) {
        this.externalId = orEmpty(externalId);
    }

    /** The fields, to keep beyond the step object (an execution across a restart, a build action). */
    public AwsFields awsFields() {
        return new AwsFields(credentialsId, region, roleArn, externalId);
    }
}
