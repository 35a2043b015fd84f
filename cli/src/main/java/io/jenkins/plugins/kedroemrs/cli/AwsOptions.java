package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.aws.AmbientAws;
import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import picocli.CommandLine.Option;

/** Where and as whom the AWS commands call AWS; everything unset falls back to the SDK's chains (env, profile, role). */
final class AwsOptions {
    @Option(names = "--region", paramLabel = "REGION", description = "AWS region, e.g. eu-west-1. Default: AWS_REGION, the profile, …")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send every AWS call to this endpoint, e.g. http://127.0.0.1:5000 for moto_server.")
    String endpointUrl;

    @Option(names = "--profile", paramLabel = "NAME", description = "Base credentials from this profile of ~/.aws/config.")
    String profile;

    @Option(names = "--role-arn", paramLabel = "ARN", description = "Assume this IAM role on top of the base credentials.")
    String roleArn;

    @Option(names = "--external-id", paramLabel = "ID", description = "The external id the role's trust policy asks for.")
    String externalId;

    /** AWS calls go to an endpoint override (--endpoint-url or AWS_ENDPOINT_URL: LocalStack, moto). */
    boolean endpointOverridden() {
        return endpointUrl != null && !endpointUrl.isBlank() || AmbientAws.endpointOverridden(System.getenv());
    }

    AwsSettings settings() {
        return AwsSettings.defaults().withRegion(region).withEndpointUrl(AwsSettings.endpoint(endpointUrl)).withProfile(profile)
                .withRole(roleArn, externalId, null);
    }
}
