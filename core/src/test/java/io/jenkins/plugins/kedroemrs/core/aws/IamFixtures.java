package io.jenkins.plugins.kedroemrs.core.aws;

import java.util.Map;

/**
 * Sets up IAM in moto for tests (roles and their policies) with the same Query calls {@link IamQuery} makes: there is
 * no SDK IAM client at this SDK version here (see {@link IamQuery}).
 */
public final class IamFixtures {
    private final IamQuery iam;

    public IamFixtures(AwsClientFactory aws) {
        this.iam = aws.iam();
    }

    /** CreateRole with this trust policy; returns its ARN. */
    public String createRole(String name, String trustPolicy) {
        return iam.callForTests("CreateRole", Map.of("RoleName", name, "AssumeRolePolicyDocument", trustPolicy), "Arn");
    }

    /** PutRolePolicy: an inline policy. */
    public void putRolePolicy(String role, String name, String document) {
        iam.callForTests("PutRolePolicy", Map.of("RoleName", role, "PolicyName", name, "PolicyDocument", document), null);
    }
}
