package io.jenkins.plugins.kedroemrs.jenkins.aws;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kedroemrs.jenkins.Forms;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The descriptor of an {@link AwsStep}: the form endpoints of the AWS fields (the engine's checks through
 * {@link AwsForms}), each a {@code @POST} that checks the permission to configure the job first.
 */
public abstract class AwsStepDescriptor extends StepDescriptor {

    /** The class whose {@code aws.jelly} (the AWS fields) the steps' forms include: a Class, not a name (plugin class loader). */
    public Class<?> getAwsFieldsClass() {
        return AwsStep.class;
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
        return AwsForms.fillCredentialsIdItems(item, credentialsId);
    }

    @POST
    public ListBoxModel doFillRegionItems(@AncestorInPath Item item) {
        Forms.checkConfigure(item);
        return AwsForms.fillRegionItems();
    }

    @POST
    public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
        Forms.checkConfigure(item);
        return AwsForms.checkRegion(value);
    }

    @POST
    public FormValidation doCheckRoleArn(@AncestorInPath Item item, @QueryParameter String value) {
        Forms.checkConfigure(item);
        return AwsForms.checkRoleArn(value);
    }

    @POST
    public FormValidation doCheckExternalId(@AncestorInPath Item item, @QueryParameter String roleArn,
            @QueryParameter String value) {
        Forms.checkConfigure(item);
        return AwsForms.checkExternalId(roleArn, value);
    }

    /** A named argument as text ({@code argumentsToString} gets them as objects), or {@code null}. */
    protected static String text(Map<String, Object> args, String key) {
        Object v = args.get(key);
        return v == null ? null : v.toString();
    }

    protected static boolean flag(Map<String, Object> args, String key, boolean byDefault) {
        Object v = args.get(key);
        return v == null ? byDefault : v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString());
    }

    protected static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
