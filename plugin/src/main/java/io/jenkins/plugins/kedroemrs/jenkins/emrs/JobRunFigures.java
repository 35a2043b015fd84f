package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.kedroemrs.core.cost.JobRunCost;
import io.jenkins.plugins.kedroemrs.core.polling.Poller;
import java.io.Serializable;
import java.time.Duration;

/**
 * What a job run was billed and cost, as a build keeps it ({@link JobRunAction}): the engine's {@link JobRunCost} in a
 * plain class with fields (XStream, which writes build.xml, cannot read records back). Builds from before the cost was
 * kept have none.
 */
public final class JobRunFigures implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String region;
    private final String architecture;
    private final Double vcpuHours;
    private final Double memoryGbHours;
    private final Double storageGbHours;
    private final Long queuedSeconds;
    private final Long runSeconds;
    private final Double usd;
    private final String prices;
    private final String noPrice;

    private JobRunFigures(JobRunCost c) {
        this.region = c.region();
        this.architecture = c.architecture();
        this.vcpuHours = c.vcpuHours();
        this.memoryGbHours = c.memoryGbHours();
        this.storageGbHours = c.storageGbHours();
        this.queuedSeconds = c.queuedSeconds();
        this.runSeconds = c.runSeconds();
        this.usd = c.usd();
        this.prices = c.prices();
        this.noPrice = c.noPrice();
    }

    @CheckForNull
    public static JobRunFigures of(@CheckForNull JobRunCost cost) {
        return cost == null ? null : new JobRunFigures(cost);
    }

    /** The engine's record again (for its formatting). */
    public JobRunCost toCost() {
        return new JobRunCost(region, architecture, vcpuHours, memoryGbHours, storageGbHours, queuedSeconds, runSeconds, usd, prices,
                noPrice);
    }

    /** The cost line the build log showed. */
    public String getLine() {
        return toCost().line();
    }

    public String getRegion() {
        return region;
    }

    public String getArchitecture() {
        return architecture;
    }

    public Double getVcpuHours() {
        return vcpuHours;
    }

    public Double getMemoryGbHours() {
        return memoryGbHours;
    }

    public Double getStorageGbHours() {
        return storageGbHours;
    }

    public Long getQueuedSeconds() {
        return queuedSeconds;
    }

    public Long getRunSeconds() {
        return runSeconds;
    }

    public Double getUsd() {
        return usd;
    }

    public String getPrices() {
        return prices;
    }

    public String getNoPrice() {
        return noPrice;
    }

    /** {@code $0.11}, or {@code null} without a price. */
    public String getDollars() {
        return usd == null ? null : JobRunCost.dollars(usd);
    }

    public String getVcpu() {
        return JobRunCost.figure(vcpuHours);
    }

    public String getMemory() {
        return JobRunCost.figure(memoryGbHours);
    }

    public String getStorage() {
        return JobRunCost.figure(storageGbHours);
    }

    public String getQueued() {
        return queuedSeconds == null ? null : Poller.human(Duration.ofSeconds(queuedSeconds));
    }

    public String getRan() {
        return runSeconds == null ? null : Poller.human(Duration.ofSeconds(runSeconds));
    }
}
