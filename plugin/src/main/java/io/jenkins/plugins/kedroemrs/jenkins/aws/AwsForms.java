package io.jenkins.plugins.kedroemrs.jenkins.aws;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import io.jenkins.plugins.kedroemrs.jenkins.Forms;
import java.util.Collections;
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
        result.includeMatchingAs(ACL.SYSTEM2, item, type, Collections.emptyList(), CredentialsMatchers.always());
        return result.includeCurrentValue(credentialsId);
    }

    /** Every region the SDK knows, after an empty entry meaning "from the environment". */
    public static ListBoxModel fillRegionItems() {
        ListBoxModel m = new ListBoxModel();
        m.add("(from the environment: AWS_REGION, instance metadata)", "");
        Region.regions().stream().filter(r -> !r.isGlobalRegion()).map(Region::id).sorted().forEach(id -> m.add(id, id));
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
