package io.jenkins.plugins.kedroemrs.jenkins.aws;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import io.jenkins.plugins.kedroemrs.jenkins.Forms;
import java.util.Collections;
import java.util.List;
import jenkins.model.Jenkins;
import software.amazon.awssdk.regions.Region;

/**
 * The AWS fields every AWS step shares (credentialsId, region, roleArn, externalId): fill and check methods that the
 * steps' descriptors call from their own {@code @POST} endpoints. The checks are the engine's ({@link AwsSettings}).
 */
public final class AwsForms {
    private AwsForms() {
    }

    /**
     * AWS Credentials visible to {@code item}, for a user who may configure it or use its credentials; only the
     * current value otherwise (the standard credentials-plugin pattern: no listing for people who may not see them).
     */
    public static ListBoxModel fillCredentialsIdItems(Item item, String currentValue) {
        return fillCredentialsItems(item, currentValue, AmazonWebServicesCredentials.class);
    }

    /** Credentials of {@code type} visible to {@code item}, with the same permission pattern. */
    public static ListBoxModel fillCredentialsItems(Item item, String currentValue, Class<? extends StandardCredentials> type) {
        String credentialsId = currentValue == null ? "" : currentValue;
        StandardListBoxModel result = new StandardListBoxModel();
        if (item == null) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return result.includeCurrentValue(credentialsId);
            }
        } else if (!item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return result.includeCurrentValue(credentialsId);
        }
        result.includeEmptyValue();
        // As the build will look them up: with the job's authentication (Authorize Project), not as SYSTEM, so the list
        // offers only ids the build can use (the credentials plugin's consumer guide).
        result.includeMatchingAs(item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2, item, type,
                Collections.emptyList(), CredentialsMatchers.always());
        return result.includeCurrentValue(credentialsId);
    }

    /**
     * Every region the SDK knows, after an empty entry meaning "from the environment", and {@code currentValue} when it
     * is none of them (a region newer than this SDK, {@code ${AWS_REGION}} in a freestyle field, a value set by JCasC,
     * Job DSL or config.xml), so that saving the form keeps it.
     */
    public static ListBoxModel fillRegionItems(String currentValue) {
        ListBoxModel m = new ListBoxModel();
        m.add("(from the environment: AWS_REGION, instance metadata)", "");
        List<String> known = Region.regions().stream().filter(r -> !r.isGlobalRegion()).map(Region::id).sorted().toList();
        String current = currentValue == null ? "" : currentValue.strip();
        if (!current.isEmpty() && !known.contains(current)) {
            m.add(new ListBoxModel.Option(current, current, true));
        }
        known.forEach(id -> m.add(new ListBoxModel.Option(id, id, id.equals(current))));
        return m;
    }

    public static FormValidation checkRegion(String region) {
        return Forms.check(() -> AwsSettings.defaults().withRegion(region));
    }

    public static FormValidation checkRoleArn(String roleArn) {
        return Forms.check(() -> AwsSettings.defaults().withRole(roleArn, null, null));
    }

    /** The external id with its role; a bad role ARN is reported on the role's own field, not here. */
    public static FormValidation checkExternalId(String roleArn, String externalId) {
        try {
            AwsSettings.defaults().withRole(roleArn, externalId, null);
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return e.getField().equals("role-arn") ? FormValidation.ok() : Forms.check(() -> {
                throw e;
            });
        }
    }
}
