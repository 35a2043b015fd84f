package io.jenkins.plugins.kedroemrs.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

class CachingCredentialsProviderTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final ManualClock clock = new ManualClock();
    final AtomicInteger calls = new AtomicInteger();

    AwsCredentialsProvider counting(Instant expiry) {
        return () -> {
            int n = calls.incrementAndGet();
            return AwsSessionCredentials.builder().accessKeyId("AKIA" + n).secretAccessKey("secret" + n).sessionToken("t" + n)
                    .expirationTime(expiry).build();
        };
    }

    @Test
    void credentialsWithoutExpiryAreReusedForMaxAge() {
        CachingCredentialsProvider p = new CachingCredentialsProvider(counting(null), Duration.ofMinutes(50), clock);
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("AKIA1");
        clock.now = clock.now.plus(Duration.ofMinutes(49));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("AKIA1");
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("AKIA2");
        assertThat(calls).hasValue(2);
    }

    @Test
    void credentialsWithExpiryAreRenewedAheadOfIt() {
        Instant expiry = clock.now.plus(Duration.ofMinutes(15));
        CachingCredentialsProvider p = new CachingCredentialsProvider(counting(expiry), Duration.ofHours(1), clock);
        p.resolveCredentials();
        clock.now = expiry.minus(CachingCredentialsProvider.REFRESH_AHEAD).minusSeconds(1);
        p.resolveCredentials();
        assertThat(calls).hasValue(1);
        clock.now = expiry.minus(CachingCredentialsProvider.REFRESH_AHEAD);
        p.resolveCredentials();
        assertThat(calls).hasValue(2);
    }

    @Test
    void credentialsCloseToExpiryAreUsedUntilTheyExpire() {
        Instant expiry = clock.now.plus(Duration.ofMinutes(2));
        CachingCredentialsProvider p = new CachingCredentialsProvider(counting(expiry), Duration.ofHours(1), clock);
        p.resolveCredentials();
        clock.now = expiry.minusSeconds(1);
        p.resolveCredentials();
        assertThat(calls).hasValue(1);
        clock.now = expiry;
        p.resolveCredentials();
        assertThat(calls).hasValue(2);
    }

    @Test
    void invalidateAsksAgainAndWrappingTwiceKeepsOneCache() {
        CachingCredentialsProvider p = new CachingCredentialsProvider(counting(null), Duration.ofMinutes(50), clock);
        p.resolveCredentials();
        p.invalidate();
        p.resolveCredentials();
        assertThat(calls).hasValue(2);
        assertThat(CachingCredentialsProvider.wrap(p, Duration.ofMinutes(1))).isSameAs(p);
    }

    @Test
    void aProviderThatGivesNothingFailsWithAHint() {
        CachingCredentialsProvider p = new CachingCredentialsProvider(() -> null, Duration.ofMinutes(5), clock);
        assertThatThrownBy(p::resolveCredentials).isInstanceOf(EngineException.class)
                .hasMessageContaining("neither keys nor a role").hasMessageContaining("withAWS");
    }

    @Test
    void toStringShowsNoKeys() {
        CachingCredentialsProvider p = new CachingCredentialsProvider(counting(null), Duration.ofMinutes(5), clock);
        p.resolveCredentials();
        assertThat(p.toString()).doesNotContain("secret1").doesNotContain("AKIA1");
    }

    /**
     * The case it is made for: a provider that calls AssumeRole on every resolve, as the AWS Credentials plugin's
     * credentials with an IAM role do (here against a real moto_server). Many SDK calls, one AssumeRole.
     */
    @Test
    void anAssumeRoleOnEveryCallProviderAssumesOnceAcrossManyRequests() throws Exception {
        MotoServer moto = MotoServer.shared();
        moto.reset();
        AtomicInteger assumed = new AtomicInteger();
        try (AwsClientFactory base = new AwsClientFactory(moto.settings()); StsClient sts = base.sts()) {
            AwsCredentialsProvider assumeEveryTime = () -> {
                assumed.incrementAndGet();
                Credentials c = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/deployer")
                        .roleSessionName("Jenkins").durationSeconds(3600)).credentials();
                return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
            };
            AwsSettings settings = moto.settings().withCredentials(
                    CachingCredentialsProvider.wrap(assumeEveryTime, Duration.ofMinutes(55)));
            try (AwsClientFactory aws = new AwsClientFactory(settings)) {
                for (int i = 0; i < 5; i++) {
                    assertThat(aws.sts().getCallerIdentity().arn()).contains("assumed-role/deployer/Jenkins");
                }
                AwsCredentials c = aws.credentials().resolveCredentials();
                assertThat(c.accessKeyId()).isNotEqualTo("testing");
            }
        }
        assertThat(assumed).hasValue(1);
    }
}
