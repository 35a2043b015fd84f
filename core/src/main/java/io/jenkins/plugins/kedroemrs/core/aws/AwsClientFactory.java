package io.jenkins.plugins.kedroemrs.core.aws;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The one place that builds AWS clients. Every client shares one HTTP connection pool, the region, the credentials
 * (an assumed role is assumed once and refreshed before it expires, not on every call), the endpoint override (with
 * S3 path-style addressing, as moto_server and other S3 look-alikes need), a user agent naming this tool, and the
 * SDK's adaptive retry strategy, which backs off and slows down on throttling and 5xx.
 *
 * <p>Close the factory when the step ends; it closes the clients it made.
 */
public final class AwsClientFactory implements SdkAutoCloseable {
    /** Attempts per call, throttling and 5xx included. */
    public static final int MAX_ATTEMPTS = 8;
    static final String USER_AGENT = "kedro-emrs/" + version();

    private final AwsSettings settings;
    private final SdkHttpClient http;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final List<SdkAutoCloseable> closeables = new ArrayList<>();
    private StsClient roleSts;

    public AwsClientFactory(AwsSettings settings) {
        this.settings = settings == null ? AwsSettings.defaults() : settings;
        this.region = resolveRegion(this.settings);
        this.http = ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60))
                .maxConnections(16).build();
        this.credentials = resolveCredentials();
    }

    public AwsSettings settings() {
        return settings;
    }

    /** The credentials every client uses (for ECR registry logins, which are not SDK calls). */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** The region clients use: the configured one, else the SDK's region chain. */
    public Region region() {
        return region;
    }

    private static Region resolveRegion(AwsSettings settings) {
        if (settings.region() != null) {
            return Region.of(settings.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new InvalidInputException("region", "no AWS region is configured",
                    "Pass the region (e.g. --region eu-west-1) or set AWS_REGION");
        }
    }

    public synchronized EmrServerlessClient emrServerless() {
        return track(configure(EmrServerlessClient.builder()).build());
    }

    public synchronized EcrClient ecr() {
        return track(configure(EcrClient.builder()).build());
    }

    public synchronized S3Client s3() {
        return track(configure(S3Client.builder()).forcePathStyle(settings.endpointUrl() != null).build());
    }

    public synchronized StsClient sts() {
        return track(configure(StsClient.builder()).build());
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        return configure(builder, credentials);
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, AwsCredentialsProvider provider) {
        builder.credentialsProvider(provider)
                .httpClient(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build())
                        .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, USER_AGENT)
                        .apiCallTimeout(Duration.ofMinutes(5))
                        .build());
        builder.region(region);
        if (settings.endpointUrl() != null) {
            builder.endpointOverride(settings.endpointUrl());
        }
        return builder;
    }

    private AwsCredentialsProvider resolveCredentials() {
        AwsCredentialsProvider base = settings.credentials() != null ? settings.credentials()
                : settings.profile() != null ? ProfileCredentialsProvider.create(settings.profile())
                : DefaultCredentialsProvider.builder().build();
        if (settings.roleArn() == null) {
            return base;
        }
        roleSts = configure(StsClient.builder(), base).build();
        String session = settings.roleSessionName() != null ? settings.roleSessionName()
                : "kedro-emrs-" + UUID.randomUUID().toString().substring(0, 8);
        // StsAssumeRoleCredentialsProvider caches the session and refreshes it ahead of expiry in the background.
        return StsAssumeRoleCredentialsProvider.builder().stsClient(roleSts).asyncCredentialUpdateEnabled(false)
                .refreshRequest(r -> r.roleArn(settings.roleArn()).roleSessionName(session)
                        .externalId(settings.externalId()).durationSeconds(3600))
                .build();
    }

    private <C extends SdkAutoCloseable> C track(C client) {
        closeables.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        for (SdkAutoCloseable c : closeables) {
            c.close();
        }
        closeables.clear();
        if (credentials instanceof SdkAutoCloseable c) {
            c.close();
        }
        if (roleSts != null) {
            roleSts.close();
        }
        http.close();
    }

    private static String version() {
        String v = AwsClientFactory.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
