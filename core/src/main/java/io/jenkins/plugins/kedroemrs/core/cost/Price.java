package io.jenkins.plugins.kedroemrs.core.cost;

import java.io.Serializable;

/**
 * What EMR Serverless charges per unit in one region for one architecture: the three dimensions a job run is billed
 * on (GetJobRun's {@code billedResourceUtilization}), with where the figures come from.
 *
 * @param region        the AWS region, or {@code *} in a price file for every region
 * @param architecture  {@code X86_64} or {@code ARM64} (as GetApplication spells it), or {@code *}
 * @param currency      the currency of the figures (list prices: USD)
 * @param vcpuHour      per vCPU-hour
 * @param memoryGbHour  per GB-hour of memory
 * @param storageGbHour per GB-hour of ephemeral storage beyond the free allotment
 * @param source        where the figures come from (a URL, "negotiated", …)
 * @param date          when they were taken, e.g. {@code 2026-12-04}
 */
public record Price(String region, String architecture, String currency, Double vcpuHour, Double memoryGbHour,
        Double storageGbHour, String source, String date) implements Serializable {

    /** What a run with these billed figures costs. */
    public double of(double vcpuHours, double memoryGbHours, double storageGbHours) {
        return vcpuHours * vcpuHour + memoryGbHours * memoryGbHour + storageGbHours * storageGbHour;
    }

    boolean matches(String r, String a) {
        return ("*".equals(region) || region.equalsIgnoreCase(r)) && ("*".equals(architecture) || architecture.equalsIgnoreCase(a));
    }
}
