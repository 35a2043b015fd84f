package io.jenkins.plugins.kedroemrs.core.preflight;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a job asks of an application's capacity, from its Spark properties with EMR Serverless's defaults (driver and
 * executors of 4 vCPU and 14 GB plus 10 % memory overhead, at least 384 MB; 3 executors to begin with; dynamic
 * allocation on): the driver and the first executors must fit the application's {@code maximumCapacity}, and the most
 * executors dynamic allocation may ask for are reported when they do not.
 *
 * @param driverCpu        the driver's vCPUs
 * @param driverMemoryGb   the driver worker's memory (with overhead)
 * @param executorCpu      an executor's vCPUs
 * @param executorMemoryGb an executor worker's memory (with overhead)
 * @param initialExecutors the executors the run starts with
 * @param maxExecutors     the most executors it may grow to, or {@code null} when unbounded
 */
record SparkResources(int driverCpu, double driverMemoryGb, int executorCpu, double executorMemoryGb, int initialExecutors,
        Integer maxExecutors) {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)b?", Pattern.CASE_INSENSITIVE);
    private static final Pattern CAPACITY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(vcpu|gb)?", Pattern.CASE_INSENSITIVE);

    static SparkResources of(Map<String, String> p) {
        boolean dynamic = !"false".equalsIgnoreCase(p.getOrDefault("spark.dynamicAllocation.enabled", "true"));
        int instances = integer(p, "spark.executor.instances", 3);
        int initial = dynamic ? integer(p, "spark.dynamicAllocation.initialExecutors",
                Math.max(instances, integer(p, "spark.dynamicAllocation.minExecutors", 0))) : instances;
        Integer max = dynamic ? (p.containsKey("spark.dynamicAllocation.maxExecutors")
                ? integer(p, "spark.dynamicAllocation.maxExecutors", initial) : null) : Integer.valueOf(instances);
        return new SparkResources(integer(p, "spark.driver.cores", 4), worker(p, "spark.driver"), integer(p, "spark.executor.cores", 4),
                worker(p, "spark.executor"), initial, max);
    }

    double cpuFor(int executors) {
        return driverCpu + (double) executorCpu * executors;
    }

    double memoryFor(int executors) {
        return driverMemoryGb + executorMemoryGb * executors;
    }

    /** The most executors that fit {@code cpu} vCPUs and {@code memory} GB besides the driver. */
    int executorsWithin(double cpu, double memory) {
        return (int) Math.max(0, Math.floor(Math.min((cpu - driverCpu) / executorCpu, (memory - driverMemoryGb) / executorMemoryGb)));
    }

    /** {@code "400 vCPU"} → 400, {@code "3000 GB"} → 3000; {@code null} for none. */
    static Double capacity(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher m = CAPACITY.matcher(value.strip());
        return m.matches() ? Double.parseDouble(m.group(1)) : null;
    }

    private static double worker(Map<String, String> p, String role) {
        double memory = gigabytes(p.getOrDefault(role + ".memory", "14g"), role + ".memory");
        String overhead = p.get(role + ".memoryOverhead");
        return memory + (overhead != null ? gigabytes(overhead, role + ".memoryOverhead") : Math.max(0.384, memory * 0.1));
    }

    private static double gigabytes(String value, String key) {
        Matcher m = SIZE.matcher(value.strip());
        if (!m.matches()) {
            throw new InvalidInputException("spark-conf", key + "=" + value + " is not a size", "Write e.g. " + key + "=4g");
        }
        double n = Double.parseDouble(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> n / 1024 / 1024;
            case "m", "" -> n / 1024; // Spark reads a bare number of memory as MiB
            case "t" -> n * 1024;
            default -> n;
        };
    }

    private static int integer(Map<String, String> p, String key, int otherwise) {
        String v = p.get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("spark-conf", key + "=" + v + " is not a whole number", "Write e.g. " + key + "=4");
        }
    }
}
