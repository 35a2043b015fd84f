package io.jenkins.plugins.kedroemrs.core.aws;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Asks a credentials provider once and reuses the answer until it is about to expire, or at most {@code maxAge}.
 *
 * <p>Made for the Jenkins AWS Credentials plugin, whose credentials with an IAM role call STS AssumeRole on every
 * {@code resolveCredentials()} and return session credentials without an expiry time: every SDK request would
 * otherwise assume the role again (slow, throttled, and noisy in CloudTrail). Credentials that carry an expiry are
 * renewed {@link #REFRESH_AHEAD} before it; those that do not are renewed after {@code maxAge}, which the caller sets
 * below the session length it asked STS for.
 *
 * <p>Why not the SDK's {@code CachedSupplier}: it is {@code @SdkProtectedApi} (for the SDK's own modules), and in
 * Jenkins the SDK classes come from the aws-java-sdk2 API plugin, at a version other than the one this compiles against.
 */
public final class CachingCredentialsProvider implements AwsCredentialsProvider {
    /** How long before their expiry credentials are renewed. */
    public static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);

    private final AwsCredentialsProvider delegate;
    private final Duration maxAge;
    private final Clock clock;
    private AwsCredentials cached;
    private Instant staleAt;

    CachingCredentialsProvider(AwsCredentialsProvider delegate, Duration maxAge, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Wraps {@code delegate}; a provider that already is a {@code CachingCredentialsProvider} is returned as is. */
    public static CachingCredentialsProvider wrap(AwsCredentialsProvider delegate, Duration maxAge) {
        if (delegate instanceof CachingCredentialsProvider c) {
            return c;
        }
        return new CachingCredentialsProvider(delegate, maxAge, Clock.systemUTC());
    }

    @Override
    public synchronized AwsCredentials resolveCredentials() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(staleAt)) {
            AwsCredentials fresh = delegate.resolveCredentials();
            if (fresh == null) {
                throw new EngineException("The AWS credentials (" + delegate.getClass().getSimpleName()
                        + ") have neither keys nor a role to assume. Give them keys, or leave the credentials out to use"
                        + " the environment's (withAWS, an instance profile)");
            }
            cached = fresh;
            staleAt = staleTime(fresh, now);
        }
        return cached;
    }

    private Instant staleTime(AwsCredentials credentials, Instant now) {
        Instant byAge = now.plus(maxAge);
        Instant expiry = credentials.expirationTime().orElse(null);
        if (expiry == null) {
            return byAge;
        }
        Instant ahead = expiry.minus(REFRESH_AHEAD);
        Instant byExpiry = ahead.isAfter(now) ? ahead : expiry;
        return byExpiry.isBefore(byAge) ? byExpiry : byAge;
    }

    /** Forgets the cached credentials, so the next call asks the delegate again. */
    public synchronized void invalidate() {
        cached = null;
        staleAt = null;
    }

    /** Never shows keys: only what is wrapped. */
    @Override
    public String toString() {
        return "CachingCredentialsProvider[" + delegate.getClass().getSimpleName() + ", maxAge=" + maxAge + "]";
    }
}
