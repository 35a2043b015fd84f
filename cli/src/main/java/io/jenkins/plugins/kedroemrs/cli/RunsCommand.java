package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.InputChecks;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.cost.JobRunCost;
import io.jenkins.plugins.kedroemrs.core.cost.PriceTable;
import io.jenkins.plugins.kedroemrs.core.emrs.EmrsInputs;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunList;
import io.jenkins.plugins.kedroemrs.core.polling.Poller;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "runs", mixinStandardHelpOptions = true, sortOptions = false,
        header = "List past job runs and what each cost.",
        description = {"Lists an application's past job runs, newest first: state, queue time, run time, billed vCPU-hours and "
                + "GB-hours, and their cost at the list prices of the application's region and architecture (or --price-file). "
                + "One walk of ListJobRuns, then GetJobRun for at most --max-details runs (a listing has no billed figures)."})
final class RunsCommand implements Callable<Integer> {
    static final int MAX = 1000;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Option(names = "--application-id", required = true, paramLabel = "ID", description = "The EMR Serverless application.")
    String applicationId;

    @Option(names = "--name", paramLabel = "NAME", description = "Only the runs of this name (the job's: submit --name). Default: all.")
    String name;

    @Option(names = "--since", paramLabel = "AGE|DATE", defaultValue = "30d",
            description = "Runs submitted in the last AGE (30d, 12h, 90m, 2w) or since DATE (2026-11-01, UTC). Default: 30d.")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Show at most N runs. Default: 50.")
    int limit;

    @Option(names = "--max-details", paramLabel = "N", defaultValue = "50",
            description = "Look up the billed figures of at most N of them (one GetJobRun each). Default: 50.")
    int maxDetails;

    @Option(names = "--price-file", paramLabel = "FILE", description = "Price the runs with these prices (JSON) instead of the list prices.")
    Path priceFile;

    @Option(names = "--json", description = "Print the runs as JSON on stdout.")
    boolean json;

    @Mixin
    AwsOptions aws;

    @Override
    public Integer call() throws Exception {
        InputChecks checks = new InputChecks();
        String app = checks.get(() -> EmrsInputs.applicationId(applicationId));
        Instant from = checks.get(() -> JobRunList.since(since, Clock.systemUTC()));
        checks.check(() -> JobRunList.count("limit", limit, MAX));
        checks.check(() -> JobRunList.count("max-details", maxDetails, MAX));
        PriceTable prices = priceFile == null ? null : checks.get(() -> PriceTable.read(priceFile));
        checks.done();
        try (AwsClientFactory factory = new AwsClientFactory(aws.settings())) {
            JobRunList.Listing listing = new JobRunList(factory.emrServerless(), factory.region().id(), prices,
                    ConsoleProgress.forStderr(false)).list(app, name, from, limit, maxDetails);
            if (json) {
                System.out.println(Json.MAPPER.writeValueAsString(listing.toMap()));
            } else {
                print(listing, System.out);
            }
        }
        return Main.OK;
    }

    static void print(JobRunList.Listing listing, PrintStream out) {
        if (listing.runs().isEmpty()) {
            out.println("No job runs on application " + listing.applicationId() + " since " + WHEN.format(listing.since()) + " UTC");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SUBMITTED (UTC)", "STATE", "QUEUED", "RAN", "vCPU-h", "GB-h", "COST", "NAME", "JOB RUN"});
        double vcpu = 0;
        double memory = 0;
        for (JobRunList.Entry e : listing.runs()) {
            JobRunCost c = e.cost();
            if (c != null && c.vcpuHours() != null) {
                vcpu += c.vcpuHours();
                memory += c.memoryGbHours() == null ? 0 : c.memoryGbHours();
            }
            rows.add(new String[] {e.createdAt() == null ? "" : WHEN.format(e.createdAt()), e.state(),
                    c == null || c.queuedSeconds() == null ? "" : Poller.human(Duration.ofSeconds(c.queuedSeconds())),
                    c == null || c.runSeconds() == null ? "" : Poller.human(Duration.ofSeconds(c.runSeconds())),
                    c == null ? "" : JobRunCost.figure(c.vcpuHours()), c == null ? "" : JobRunCost.figure(c.memoryGbHours()),
                    c == null ? (e.problem() != null ? "(" + e.problem() + ")" : "") : c.usd() == null ? "no price"
                            : JobRunCost.dollars(c.usd()),
                    e.name() == null ? "" : e.name(), e.jobRunId()});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean number = i >= 2 && i <= 6;
                String cell = number ? " ".repeat(width[i] - row[i].length()) + row[i] : row[i] + " ".repeat(width[i] - row[i].length());
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            out.println(line.toString().stripTrailing());
        }
        long detailed = listing.runs().stream().filter(e -> e.cost() != null).count();
        Double usd = listing.totalUsd();
        out.println(listing.runs().size() + (listing.runs().size() == 1 ? " run" : " runs") + " since "
                + WHEN.format(listing.since()) + " UTC" + (listing.more() ? " (more not shown: --limit, --since)" : "")
                + "; " + detailed + " looked up: billed " + JobRunCost.figure(vcpu) + " vCPU-h, " + JobRunCost.figure(memory)
                + " GB-h" + (usd != null ? " ≈ " + JobRunCost.dollars(usd) : ""));
    }
}
