package io.jenkins.plugins.kedroemrs.core.polling;

import static io.jenkins.plugins.kedroemrs.core.testing.JavaSerialization.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.testing.FakeClock;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The history-aware rhythm of {@link PollPolicy#nextDelay(Instant, Instant, Instant, RunHistory, DoubleSupplier)}, on a fake clock. */
class HistoryPollPolicyTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final PollPolicy TODAY = PollPolicy.JOB_RUN.toBuilder().timeout(Duration.ofDays(1)).build();
    static final PollPolicy NO_JITTER = TODAY.toBuilder().jitter(0).build();

    /** Ten earlier runs from 50 to 70 minutes (median 60 min). */
    static final RunHistory HOUR = history("kedro-demo", 50, 70);

    static RunHistory history(String name, double fromMinutes, double toMinutes) {
        List<Duration> runs = new ArrayList<>();
        for (int i = 0; i < RunHistory.MAX_RUNS; i++) {
            runs.add(Duration.ofMillis(Math.round((fromMinutes + (toMinutes - fromMinutes) * i / (RunHistory.MAX_RUNS - 1)) * 60_000)));
        }
        return RunHistory.of(name, runs);
    }

    static Duration delayAt(PollPolicy p, Duration elapsed, RunHistory h, DoubleSupplier random) {
        return p.nextDelay(T0, p.deadlineFrom(T0), T0.plus(elapsed), h, random);
    }

    static Duration delayAt(Duration elapsed, RunHistory h) {
        return delayAt(NO_JITTER, elapsed, h, () -> 0.5);
    }

    @Test
    void theScheduleSpansTheEarlierRunsWithAMargin() {
        PollPolicy.Schedule plan = NO_JITTER.scheduleFor(HOUR);
        assertThat(plan.expected()).isEqualTo(Duration.ofMinutes(60));
        // margin: 1.5 mean gaps of (70 − 50) / 9 min = 200 s
        assertThat(plan.sparseUntil()).isEqualTo(Duration.ofMinutes(50).minusSeconds(200));
        assertThat(plan.denseUntil()).isEqualTo(Duration.ofMinutes(70).plusSeconds(200));
        assertThat(plan.denseEvery()).isEqualTo(Duration.ofMillis(Math.round(0.365 * 60 * 1000))); // 0.365 × √3600 s
        assertThat(HOUR.describe()).isEqualTo("~1 h from 10 earlier runs of 'kedro-demo' (50 min to 1 h 10 min)");
    }

    @Test
    void sparseUntilShortlyBeforeTheEarliestEndDenseThroughTheWindowThenTodaysRhythm() {
        PollPolicy.Schedule plan = NO_JITTER.scheduleFor(HOUR);
        // The first three looks as today (a run rejected at once), then 85 % of the time waited.
        assertThat(delayAt(Duration.ZERO, HOUR)).isEqualTo(Duration.ofMillis(5100));
        assertThat(delayAt(Duration.ofSeconds(20), HOUR)).isEqualTo(Duration.ofMillis(5100));
        assertThat(delayAt(Duration.ofMinutes(10), HOUR)).isEqualTo(Duration.ofMillis(Math.round(0.85 * (600_000 - 15_300))));
        assertThat(delayAt(Duration.ofMinutes(10), null)).isEqualTo(Duration.ofSeconds(24)); // today: 4 %
        // The last sparse look lands where the window opens.
        Duration late = plan.sparseUntil().minusMinutes(10);
        assertThat(late.plus(delayAt(late, HOUR))).isEqualTo(plan.sparseUntil());
        // Dense through the window.
        for (Duration at : List.of(plan.sparseUntil(), Duration.ofMinutes(60), plan.denseUntil().minusSeconds(1))) {
            assertThat(delayAt(at, HOUR)).as("at %s", at).isEqualTo(plan.denseEvery());
        }
        // Past its history: today's rhythm, measured from the start of the wait.
        for (Duration at : List.of(plan.denseUntil(), Duration.ofMinutes(90), Duration.ofHours(5))) {
            assertThat(delayAt(at, HOUR)).as("at %s", at).isEqualTo(delayAt(at, null));
        }
    }

    @Test
    void withoutAUsableHistoryNothingChanges() {
        RunHistory two = RunHistory.of("x", List.of(Duration.ofMinutes(60), Duration.ofMinutes(61)));
        RunHistory none = RunHistory.of("x", List.of());
        for (long s : new long[] {0, 30, 600, 3000, 3600, 20_000}) {
            Duration at = Duration.ofSeconds(s);
            Duration today = TODAY.nextDelay(T0, TODAY.deadlineFrom(T0), T0.plus(at), () -> 0.3);
            assertThat(delayAt(TODAY, at, null, () -> 0.3)).isEqualTo(today);
            assertThat(delayAt(TODAY, at, two, () -> 0.3)).isEqualTo(today);
            assertThat(delayAt(TODAY, at, none, () -> 0.3)).isEqualTo(today);
        }
        assertThat(TODAY.scheduleFor(two)).isNull();
    }

    @Test
    void jitterStaysWithinItsBoundsInEveryPhase() {
        PollPolicy.Schedule plan = TODAY.scheduleFor(HOUR);
        long dense = plan.denseEvery().toMillis();
        Duration inWindow = Duration.ofMinutes(60);
        assertThat(delayAt(TODAY, inWindow, HOUR, () -> 0.0)).isEqualTo(Duration.ofMillis(Math.round(dense * 0.95)));
        assertThat(delayAt(TODAY, inWindow, HOUR, () -> 0.5)).isEqualTo(plan.denseEvery());
        assertThat(delayAt(TODAY, inWindow, HOUR, () -> 0.9999999)).isBetween(Duration.ofMillis(Math.round(dense * 1.05) - 1),
                Duration.ofMillis(Math.round(dense * 1.05)));
        long sparse = Math.round(0.85 * (600_000 - 15_300));
        assertThat(delayAt(TODAY, Duration.ofMinutes(10), HOUR, () -> 0.0)).isEqualTo(Duration.ofMillis(Math.round(sparse * 0.95)));
        assertThat(delayAt(TODAY, Duration.ofMinutes(10), HOUR, () -> 0.9999999)).isLessThanOrEqualTo(
                Duration.ofMillis(Math.round(sparse * 1.05)));
        // The jitter never carries a sparse look past the window's start, nor any look past the deadline.
        Duration late = plan.sparseUntil().minusMinutes(10);
        assertThat(late.plus(delayAt(TODAY, late, HOUR, () -> 0.9999999))).isEqualTo(plan.sparseUntil());
        Instant deadline = T0.plus(Duration.ofMinutes(55));
        assertThat(TODAY.nextDelay(T0, deadline, T0.plus(Duration.ofMinutes(54)), HOUR, () -> 0.5)).isLessThanOrEqualTo(
                Duration.ofMinutes(1));
    }

    /** A wait saved (as the Jenkins step saves it, or Java-serialized) and resumed goes on with the same rhythm. */
    @Test
    void aResumedWaitKeepsTheRhythm() throws Exception {
        FakeClock clock = new FakeClock(T0);
        Poller<String> poller = new Poller<>(TODAY, List.of(Acceptor.successOn("SUCCESS"::equals)), Function.identity(), () -> 0.25);
        PollOutcome<String> o = poller.start(T0, TODAY.deadlineFrom(T0), HOUR);
        assertThat(o.state().history()).isEqualTo(HOUR);
        for (int i = 0; i < 12; i++) {
            clock.advance(o.delay());
            o = poller.decide(o.state(), clock.instant(), "RUNNING", null);
        }
        assertThat(Duration.between(T0, clock.instant())).isGreaterThan(Duration.ofMinutes(5)); // sparse by now
        PollState fromJson = Json.read(Json.write(o.state()), PollState.class, "poll state");
        PollState fromJava = roundTrip(o.state());
        assertThat(fromJson).isEqualTo(o.state());
        assertThat(fromJava).isEqualTo(o.state());

        Poller<String> afterRestart = new Poller<>(TODAY, List.of(Acceptor.successOn("SUCCESS"::equals)), Function.identity(),
                () -> 0.25);
        Instant next = o.state().nextPollAt();
        PollOutcome<String> going = poller.decide(o.state(), next, "RUNNING", null);
        assertThat(afterRestart.decide(fromJson, next, "RUNNING", null)).isEqualTo(going);
        assertThat(afterRestart.decide(fromJava, next, "RUNNING", null).delay()).isEqualTo(going.delay());
        // A wait saved before histories existed (no "history" in its JSON) reads back without one.
        String old = Json.write(new PollState(T0, T0.plusSeconds(3600), 3, "RUNNING", T0.plusSeconds(20)));
        assertThat(Json.read(old.replace(",\"history\":null", ""), PollState.class, "poll state").history()).isNull();
    }

    /**
     * A run the history mispredicts — far shorter or longer, or anything in between — never costs more calls than the
     * rhythm without history; checked for every run length on a fine grid and histories from a minute to 6 hours,
     * with and without jitter.
     */
    @Test
    void noRunCostsMoreCallsThanWithoutHistory() {
        List<RunHistory> histories = List.of(history("1 min", 48 / 60.0, 72 / 60.0), history("10 min", 8, 12), HOUR,
                history("6 h", 288, 432), history("narrow", 59.9, 60.1), history("wide", 1, 360), history("tiny", 0.1, 0.2));
        for (RunHistory h : histories) {
            for (Supplier<DoubleSupplier> jitter : List.<Supplier<DoubleSupplier>>of(() -> () -> 0.5, () -> () -> 0.0,
                    () -> () -> 0.9999, () -> new Random(3)::nextDouble, () -> new Random(4)::nextDouble)) {
                long[] today = looks(TODAY, null, jitter.get(), Duration.ofHours(13));
                long[] ours = looks(TODAY, h, jitter.get(), Duration.ofHours(13));
                DoubleSupplier random = jitter.get();
                int worst = IntStream.range(0, today.length).map(s -> (int) (callsFor(ours, s) - callsFor(today, s))).max().orElse(0);
                int at = IntStream.range(0, today.length).filter(s -> callsFor(ours, s) - callsFor(today, s) == worst).findFirst().orElse(-1);
                assertThat(worst).as("most extra calls for a run of any length, history %s, first at %d s: %d vs %d, random %s",
                        h.name(), at, callsFor(ours, Math.max(0, at)), callsFor(today, Math.max(0, at)), random.getAsDouble())
                        .isLessThanOrEqualTo(0);
            }
        }
    }

    /** The times of the looks (seconds since the start) a wait makes through {@code span}. */
    static long[] looks(PollPolicy p, RunHistory h, DoubleSupplier random, Duration span) {
        List<Long> at = new ArrayList<>();
        Instant now = T0;
        Instant deadline = T0.plus(span);
        while (now.isBefore(deadline)) {
            now = now.plus(p.nextDelay(T0, deadline, now, h, random));
            at.add(Duration.between(T0, now).toMillis());
        }
        long[] perSecond = new long[(int) span.toSeconds()];
        // calls a run that ends at second s costs: the looks up to and including the first at or after s
        int k = 0;
        for (int s = 0; s < perSecond.length; s++) {
            while (k < at.size() && at.get(k) < s * 1000L) {
                k++;
            }
            perSecond[s] = k + 1;
        }
        return perSecond;
    }

    static long callsFor(long[] looks, int second) {
        return looks[second];
    }

    @Test
    void badHistoriesNameTheField() {
        assertThatThrownBy(() -> RunHistory.of("x", List.of(Duration.ofMinutes(5), Duration.ofSeconds(-3))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.getField()).isEqualTo("history");
                    assertThat(e.getMessage()).contains("not positive: PT-3S");
                });
        assertThatThrownBy(() -> new RunHistory("x", List.of(Duration.ZERO)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("history"));
        assertThatThrownBy(() -> new RunHistory("x", null))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("history"));
        List<Duration> eleven = IntStream.rangeClosed(1, 11).mapToObj(Duration::ofMinutes).toList();
        assertThatThrownBy(() -> new RunHistory("x", eleven))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("history"));
        assertThat(RunHistory.of("x", eleven).durations()).hasSize(10).startsWith(Duration.ofMinutes(1));
    }
}
