package io.jenkins.plugins.kedroemrs.cli.bench;

import io.jenkins.plugins.kedroemrs.core.polling.Acceptor;
import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import io.jenkins.plugins.kedroemrs.core.polling.PollOutcome;
import io.jenkins.plugins.kedroemrs.core.polling.PollPolicy;
import io.jenkins.plugins.kedroemrs.core.polling.Poller;
import io.jenkins.plugins.kedroemrs.core.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * How well the job-run wait polls: simulated job runs of about 1 min, 10 min, 1 h and 6 h (each run's length drawn
 * uniformly within ±10 % of that, so the end falls anywhere between two polls), watched through the real
 * {@link Poller} and {@link PollLoop} on a fake clock, with our policy ({@link PollPolicy#JOB_RUN}) and fixed
 * intervals of 5 s and 60 s. Prints the GetJobRun calls per run (mean) and the delay between the run's end and its
 * detection (p95, max), and checks the goal: p95 delay ≤ max(5 s, 5 % of the run) with no more calls than polling
 * every 5 s. Run it with {@code scripts/bench polling [runs-per-case [initial=5,growth=0.045,max=300,jitter=0.1]]} (the second
 * argument tries another policy); not a test. Seeded: the same figures every time.
 */
public final class PollingBenchmark {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    record Stats(double meanCalls, double p95Delay, double maxDelay) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        PollPolicy ours = args.length > 1 ? parse(args[1]) : PollPolicy.JOB_RUN;
        Map<String, PollPolicy> policies = new LinkedHashMap<>();
        policies.put("kedro-emrs", ours);
        policies.put("fixed 5 s", PollPolicy.builder().fixed(Duration.ofSeconds(5)).timeout(Duration.ofDays(1)).build());
        policies.put("fixed 60 s", PollPolicy.builder().fixed(Duration.ofSeconds(60)).timeout(Duration.ofDays(1)).build());
        List<Duration> lengths = List.of(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(6));

        System.out.printf("%nJob-run polling, %d simulated runs per case (length ±10 %%), policy %s%n", runs, ours);
        System.out.printf("%-8s %-11s %11s %13s %13s %10s  %s%n", "run", "policy", "calls/run", "p95 delay s", "max delay s",
                "goal s", "verdict");
        boolean allMet = true;
        for (Duration length : lengths) {
            double goal = Math.max(5, 0.05 * length.toSeconds());
            Map<String, Stats> row = new LinkedHashMap<>();
            for (Map.Entry<String, PollPolicy> p : policies.entrySet()) {
                row.put(p.getKey(), simulate(p.getValue(), length, runs, new Random(42)));
            }
            Stats every5 = row.get("fixed 5 s");
            for (Map.Entry<String, Stats> e : row.entrySet()) {
                Stats s = e.getValue();
                String verdict = "";
                if (e.getKey().equals("kedro-emrs")) {
                    boolean delayOk = s.p95Delay() <= goal;
                    boolean callsOk = s.meanCalls() <= every5.meanCalls();
                    allMet &= delayOk && callsOk;
                    verdict = (delayOk ? "delay ok" : "DELAY TOO LONG") + ", " + (callsOk ? "calls ok" : "TOO MANY CALLS")
                            + String.format(" (%.0f %% of 5 s's calls)", 100 * s.meanCalls() / every5.meanCalls());
                } else if (s.p95Delay() > goal) {
                    verdict = "misses the delay goal";
                }
                System.out.printf("%-8s %-11s %11.1f %13.1f %13.1f %10.0f  %s%n", human(length), e.getKey(), s.meanCalls(),
                        s.p95Delay(), s.maxDelay(), goal, verdict);
            }
        }
        System.out.println(allMet ? "Goal met: p95 detection delay <= max(5 s, 5 % of the run), no more calls than every 5 s."
                : "GOAL MISSED (see above)");
        if (!allMet) {
            System.exit(1);
        }
    }

    /** Watches {@code runs} simulated job runs of about {@code length} and collects calls and detection delays. */
    static Stats simulate(PollPolicy policy, Duration length, int runs, Random random) throws InterruptedException {
        long[] calls = new long[runs];
        double[] delays = new double[runs];
        for (int i = 0; i < runs; i++) {
            double seconds = length.toSeconds() * (0.9 + 0.2 * random.nextDouble());
            Instant end = T0.plusMillis(Math.round(seconds * 1000));
            FakeClock clock = new FakeClock(T0);
            Poller<String> poller = new Poller<>(policy, List.of(Acceptor.successOn("SUCCESS"::equals)), Function.identity(),
                    random::nextDouble);
            long[] polls = {0};
            PollOutcome<String> outcome = PollLoop.run(poller, poller.start(T0), () -> {
                polls[0]++;
                return clock.instant().isBefore(end) ? "RUNNING" : "SUCCESS";
            }, clock, clock.sleeper(), o -> { });
            if (outcome.status() != PollOutcome.Status.SUCCESS) {
                throw new IllegalStateException("simulated run did not end: " + outcome);
            }
            calls[i] = polls[0];
            delays[i] = Duration.between(end, clock.instant()).toMillis() / 1000.0;
        }
        Arrays.sort(delays);
        return new Stats(Arrays.stream(calls).average().orElse(0), delays[(int) Math.ceil(0.95 * runs) - 1], delays[runs - 1]);
    }

    /** A policy to try instead of ours, e.g. {@code initial=5,growth=0.045,max=300,jitter=0.1} (seconds). */
    static PollPolicy parse(String spec) {
        PollPolicy.Builder b = PollPolicy.JOB_RUN.toBuilder();
        for (String kv : spec.split(",")) {
            String[] p = kv.split("=", 2);
            double v = Double.parseDouble(p[1]);
            switch (p[0]) {
                case "initial" -> b.initialDelay(Duration.ofMillis(Math.round(v * 1000)));
                case "growth" -> b.growth(v);
                case "max" -> b.maxDelay(Duration.ofMillis(Math.round(v * 1000)));
                case "jitter" -> b.jitter(v);
                default -> throw new IllegalArgumentException("unknown policy setting " + p[0] + " (initial, growth, max, jitter)");
            }
        }
        return b.build();
    }

    static String human(Duration d) {
        return d.toHours() > 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }

    private PollingBenchmark() {
    }
}
