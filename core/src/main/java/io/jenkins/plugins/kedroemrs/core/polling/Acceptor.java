package io.jenkins.plugins.kedroemrs.core.polling;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Maps one poll's answer — a response or an exception — to a {@link Verdict}, like the SDK's {@code WaiterAcceptor}.
 * A {@link Poller} asks its acceptors in order and takes the first that matches; a response no acceptor matches
 * means {@link Verdict#RETRY}, an exception no acceptor matches means {@link Verdict#FAILURE}.
 *
 * @param <T> the response type
 */
public interface Acceptor<T> {

    Verdict verdict();

    default boolean matches(T response) {
        return false;
    }

    default boolean matches(Throwable error) {
        return false;
    }

    /** Why the wait ends (for FAILURE), or {@code null}. */
    default String message(T response) {
        return null;
    }

    static <T> Acceptor<T> successOn(Predicate<? super T> when) {
        return onResponse(Verdict.SUCCESS, when, r -> null);
    }

    static <T> Acceptor<T> failureOn(Predicate<? super T> when, Function<? super T, String> message) {
        return onResponse(Verdict.FAILURE, when, message);
    }

    static <T> Acceptor<T> retryOn(Predicate<? super T> when) {
        return onResponse(Verdict.RETRY, when, r -> null);
    }

    static <T> Acceptor<T> retryOnException(Predicate<? super Throwable> when) {
        return onException(Verdict.RETRY, when);
    }

    static <T> Acceptor<T> failureOnException(Predicate<? super Throwable> when) {
        return onException(Verdict.FAILURE, when);
    }

    private static <T> Acceptor<T> onResponse(Verdict verdict, Predicate<? super T> when, Function<? super T, String> message) {
        return new Rule<>(verdict, Objects.requireNonNull(when, "when"), e -> false, message);
    }

    private static <T> Acceptor<T> onException(Verdict verdict, Predicate<? super Throwable> when) {
        return new Rule<T>(verdict, r -> false, Objects.requireNonNull(when, "when"), r -> null);
    }

    /** The factories' acceptor: a verdict for the responses or the exceptions a predicate picks. */
    record Rule<T>(Verdict verdict, Predicate<? super T> onResponse, Predicate<? super Throwable> onError,
            Function<? super T, String> describe) implements Acceptor<T> {

        @Override
        public boolean matches(T response) {
            return onResponse.test(response);
        }

        @Override
        public boolean matches(Throwable error) {
            return onError.test(error);
        }

        @Override
        public String message(T response) {
            return describe.apply(response);
        }
    }
}
