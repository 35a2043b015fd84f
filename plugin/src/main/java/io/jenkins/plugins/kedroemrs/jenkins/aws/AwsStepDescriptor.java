package io.jenkins.plugins.kedroemrs.jenkins.aws;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The descriptor of an {@link AwsStep}: the form endpoints of the AWS fields (the engine's checks through
 * {@link AwsForms}), each a {@code @POST}. The region list and the syntax checks need no permission (they read
 * nothing of Jenkins and call nobody, and the global Snippet Generator must work for every user); the credentials
 * list shows only what the user may see ({@link AwsForms#fillCredentialsIdItems}).
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

    /** Every region the SDK knows, and the current value when it is not one of them (a newer region, {@code ${AWS_REGION}}). */
    @POST
    public ListBoxModel doFillRegionItems(@QueryParameter String region) {
        return AwsForms.fillRegionItems(region);
    }

    @POST
    public FormValidation doCheckRegion(@QueryParameter String value) {
        return AwsForms.checkRegion(value);
    }

    @POST
    public FormValidation doCheckRoleArn(@QueryParameter String value) {
        return AwsForms.checkRoleArn(value);
    }

    @POST
    public FormValidation doCheckExternalId(@QueryParameter String roleArn, @QueryParameter String value) {
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
