package io.jenkins.plugins.kedroemrs.core.cost;

import io.jenkins.plugins.kedroemrs.core.polling.Poller;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.emrserverless.model.JobRun;
import software.amazon.awssdk.services.emrserverless.model.ResourceUtilization;

/**
 * What a job run was billed and what that cost: GetJobRun's {@code billedResourceUtilization} (vCPU-hours, GB-hours of
 * memory and of storage, with the service's one-minute minimum per worker and free storage already applied), its
 * queue time ({@code queuedDurationMilliseconds}) and run time ({@code totalExecutionDurationSeconds}), priced by a
 * {@link PriceTable} for the application's region and architecture. Every figure may be missing ({@code null}): a
 * run that never started is billed nothing, and a region without a price has {@link #noPrice} instead of dollars.
 *
 * @param region         the application's region
 * @param architecture   the application's architecture, {@code X86_64} or {@code ARM64}, or {@code null} when unknown
 * @param vcpuHours      billed vCPU-hours, or {@code null} when the service reported none
 * @param memoryGbHours  billed memory GB-hours, or {@code null}
 * @param storageGbHours billed storage GB-hours, or {@code null}
 * @param queuedSeconds  how long the run waited for capacity, or {@code null}
 * @param runSeconds     how long it ran (total execution time), or {@code null}
 * @param usd            what the billed figures cost, or {@code null} without a price
 * @param prices         which prices gave {@link #usd} ({@code list prices of 2026-12-04}, {@code prices of FILE}), or {@code null}
 * @param noPrice        why there are no dollars ({@code no price for region R}), or {@code null}
 */
public record JobRunCost(String region, String architecture, Double vcpuHours, Double memoryGbHours, Double storageGbHours,
        Long queuedSeconds, Long runSeconds, Double usd, String prices, String noPrice) implements Serializable {

    /** The figures of a job run as GetJobRun reports them, priced by {@code table} ({@code architecture} null: unknown). */
    public static JobRunCost of(JobRun r, String region, String architecture, PriceTable table) {
        ResourceUtilization billed = r.billedResourceUtilization();
        Double vcpu = billed == null ? null : billed.vcpuHour();
        Double memory = billed == null ? null : billed.memoryGBHour();
        Double storage = billed == null ? null : billed.storageGBHour();
        Long queued = r.queuedDurationMilliseconds() == null ? null : Math.round(r.queuedDurationMilliseconds() / 1000.0);
        Long ran = r.totalExecutionDurationSeconds() == null ? null : r.totalExecutionDurationSeconds().longValue();
        if (vcpu == null && memory == null && storage == null) {
            return new JobRunCost(region, architecture, null, null, null, queued, ran, null, null,
                    "the service reported no billed resources");
        }
        if (architecture == null) {
            return new JobRunCost(region, null, vcpu, memory, storage, queued, ran, null, null,
                    "the application's architecture is unknown");
        }
        Optional<Price> price = table.priceOf(region, architecture);
        if (price.isEmpty()) {
            return new JobRunCost(region, architecture, vcpu, memory, storage, queued, ran, null, null,
                    "no price for region " + region + " (" + architecture + ")" + (table.isList()
                            ? "; give one with --price-file (the step's priceFile)" : " in the price file"));
        }
        Price p = price.get();
        double usd = p.of(zero(vcpu), zero(memory), zero(storage));
        return new JobRunCost(region, architecture, vcpu, memory, storage, queued, ran, usd, table.describe(p), null);
    }

    /** The same figures without dollars, for {@code why}; a run billed nothing keeps its reason. */
    public JobRunCost withoutPrice(String why) {
        if (vcpuHours == null && memoryGbHours == null && storageGbHours == null) {
            return this;
        }
        return new JobRunCost(region, architecture, vcpuHours, memoryGbHours, storageGbHours, queuedSeconds, runSeconds, null, null,
                why);
    }

    /**
     * One line for the log: {@code billed 1.42 vCPU-h, 5.68 GB-h, 0 storage GB-h ≈ $0.11 (eu-west-1, ARM64, list prices
     * of 2026-12-04); queued 12 s, ran 4 min 3 s}.
     */
    public String line() {
        StringBuilder b = new StringBuilder();
        if (vcpuHours == null && memoryGbHours == null && storageGbHours == null) {
            b.append("nothing billed (").append(noPrice).append(")");
        } else {
            b.append("billed ").append(figure(vcpuHours)).append(" vCPU-h, ").append(figure(memoryGbHours)).append(" GB-h, ")
                    .append(figure(storageGbHours)).append(" storage GB-h");
            if (usd != null) {
                b.append(" ≈ ").append(dollars(usd)).append(" (").append(region).append(", ").append(architecture).append(", ")
                        .append(prices).append(")");
            } else {
                b.append(", no dollars: ").append(noPrice);
            }
        }
        if (queuedSeconds != null) {
            b.append("; queued ").append(Poller.human(Duration.ofSeconds(queuedSeconds)));
        }
        if (runSeconds != null) {
            b.append(queuedSeconds != null ? ", " : "; ").append("ran ").append(Poller.human(Duration.ofSeconds(runSeconds)));
        }
        return b.toString();
    }

    /**
     * The figures as variables for later build steps: {@code EMRS_VCPU_HOURS}, {@code EMRS_MEMORY_GB_HOURS},
     * {@code EMRS_STORAGE_GB_HOURS}, {@code EMRS_COST_USD}, {@code EMRS_QUEUED_SECONDS}, {@code EMRS_RUN_SECONDS}
     * (each only when known; plain decimals, dot as separator).
     */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        put(env, "EMRS_VCPU_HOURS", vcpuHours);
        put(env, "EMRS_MEMORY_GB_HOURS", memoryGbHours);
        put(env, "EMRS_STORAGE_GB_HOURS", storageGbHours);
        put(env, "EMRS_COST_USD", usd);
        if (queuedSeconds != null) {
            env.put("EMRS_QUEUED_SECONDS", Long.toString(queuedSeconds));
        }
        if (runSeconds != null) {
            env.put("EMRS_RUN_SECONDS", Long.toString(runSeconds));
        }
        return env;
    }

    /** Dollars as a person reads them: {@code $0.11}, {@code $12.40}; under a cent with two significant digits ({@code $0.0043}). */
    public static String dollars(double usd) {
        if (usd == 0) {
            return "$0";
        }
        return usd >= 0.01 ? String.format(Locale.ROOT, "$%.2f", usd) : "$" + new BigDecimal(usd).round(new MathContext(2)).toPlainString();
    }

    /** A billed figure: two decimals, three significant digits below one ({@code 0.0134}), {@code 0} for nothing. */
    public static String figure(Double value) {
        if (value == null) {
            return "?";
        }
        if (value == 0) {
            return "0";
        }
        return value >= 1 ? String.format(Locale.ROOT, "%.2f", value)
                : new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static void put(Map<String, String> env, String name, Double value) {
        if (value != null) {
            env.put(name, BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
        }
    }

    private static double zero(Double d) {
        return d == null ? 0 : d;
    }
}
