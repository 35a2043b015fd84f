package io.jenkins.plugins.kedroemrs.core.aws;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;
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
 * The one place that builds AWS clients. A factory makes at most one client per service, on first use, and hands the
 * same one out again (SDK clients are thread-safe and meant to be reused): a wait that polls for hours must not make a
 * client per poll. Its clients share the region, the credentials (an assumed role is assumed once and refreshed before
 * it expires, not on every call), the endpoint override (with S3 path-style addressing, as moto_server and other S3
 * look-alikes need), a user agent naming this tool, and the SDK's adaptive retry strategy, which backs off and slows
 * down on throttling and 5xx.
 *
 * <p>What costs threads and sockets is shared by every factory of the JVM ({@link Shared}): one HTTP connection pool
 * and one scheduler for the SDK's call timeouts. Left to itself the SDK gives each client a scheduler of its own (up
 * to five threads), so a Jenkins controller with 500 waiting steps would hold thousands of idle threads.
 *
 * <p>Close the factory when the step ends; it closes the clients it made (the shared pool and scheduler stay).
 */
public final class AwsClientFactory implements SdkAutoCloseable {
    /** Attempts per call, throttling and 5xx included. */
    public static final int MAX_ATTEMPTS = 8;
    static final String USER_AGENT = "kedro-emrs/" + version();

    private final AwsSettings settings;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Map<Class<?>, SdkAutoCloseable> clients = new LinkedHashMap<>();
    private StsClient roleSts;
    private boolean closed;

    /**
     * What every factory of this JVM shares, made on first use and never closed (the JVM's end closes them): the HTTP
     * connection pool (SigV4 signs each request, so a connection carries no identity and any factory's calls may use
     * it) and the scheduler of the SDK's call timeouts (one daemon thread; a finished call's timeout task is removed
     * at once, not left queued for its five minutes).
     */
    static final class Shared {
        static final SdkHttpClient HTTP = ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60)).maxConnections(64).build();
        static final ScheduledExecutorService TIMEOUTS = timeouts();

        private Shared() {
        }

        private static ScheduledExecutorService timeouts() {
            ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "kedro-emrs AWS call timeouts");
                t.setDaemon(true);
                return t;
            });
            timeouts.setRemoveOnCancelPolicy(true);
            return timeouts;
        }
    }

    public AwsClientFactory(AwsSettings settings) {
        this.settings = settings == null ? AwsSettings.defaults() : settings;
        this.region = resolveRegion(this.settings);
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

    /** This factory's EMR Serverless client (the same one on every call). */
    public EmrServerlessClient emrServerless() {
        return client(EmrServerlessClient.class, () -> configure(EmrServerlessClient.builder()).build());
    }

    /** This factory's ECR client (the same one on every call). */
    public EcrClient ecr() {
        return client(EcrClient.class, () -> configure(EcrClient.builder()).build());
    }

    /** This factory's S3 client (the same one on every call). */
    public S3Client s3() {
        return client(S3Client.class, () -> configure(S3Client.builder()).forcePathStyle(settings.endpointUrl() != null).build());
    }

    /** This factory's STS client (the same one on every call). */
    public StsClient sts() {
        return client(StsClient.class, () -> configure(StsClient.builder()).build());
    }

    /**
     * This factory's IAM calls (GetRole, SimulatePrincipalPolicy; see {@link IamQuery}): IAM is global, so they go to
     * the partition's IAM endpoint (or the endpoint override), signed for its region.
     */
    public IamQuery iam() {
        return new IamQuery(Shared.HTTP, credentials, region, settings.endpointUrl());
    }

    private synchronized <C extends SdkAutoCloseable> C client(Class<C> type, Supplier<C> make) {
        if (closed) {
            throw new IllegalStateException("this AWS client factory is closed");
        }
        return type.cast(clients.computeIfAbsent(type, t -> make.get()));
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        return configure(builder, credentials);
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, AwsCredentialsProvider provider) {
        builder.credentialsProvider(provider)
                .httpClient(Shared.HTTP)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .scheduledExecutorService(Shared.TIMEOUTS)
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

    /** Closes the clients this factory made (the SDK leaves the shared pool and scheduler, which it did not make, open). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SdkAutoCloseable c : clients.values()) {
            c.close();
        }
        clients.clear();
        if (credentials instanceof SdkAutoCloseable c) {
            c.close();
        }
        if (roleSts != null) {
            roleSts.close();
        }
    }

    private static String version() {
        String v = AwsClientFactory.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
