package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsErrors;
import io.jenkins.plugins.kedroemrs.core.cost.JobRunCost;
import io.jenkins.plugins.kedroemrs.core.cost.PriceTable;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.Architecture;
import software.amazon.awssdk.services.emrserverless.model.JobRun;
import software.amazon.awssdk.services.emrserverless.model.JobRunSummary;
import software.amazon.awssdk.services.emrserverless.model.ListJobRunsResponse;

/**
 * {@code kedro-emrs runs}: an application's past job runs, newest first, each with what it was billed and cost. One
 * walk of ListJobRuns (created since a moment, pages of {@link #PAGE_SIZE}; the API has no name filter, so a name is
 * matched here), then GetJobRun for at most {@code maxDetails} of the runs shown (a summary has no billed figures),
 * {@link #PARALLEL} at a time, and one GetApplication for the architecture the prices depend on. Throttling is retried
 * by the factory's client; a GetJobRun that still fails leaves its row without figures and says why, it does not end
 * the listing.
 */
public final class JobRunList {
    static final int PAGE_SIZE = 50;
    static final int PARALLEL = 4;
    /** How far back a listing looks at most (as the wait's history does, {@link JobRunHistory#LOOKBACK}). */
    public static final Duration RETENTION = JobRunHistory.LOOKBACK;
    private static final Pattern SINCE = Pattern.compile("(\\d+)\\s*([mhdw])");

    /**
     * One past run.
     *
     * @param jobRunId   the job run
     * @param name       its name
     * @param state      its state
     * @param createdAt  when it was submitted
     * @param updatedAt  when it last changed (for an ended run: when it ended)
     * @param consoleUrl its page in the EMR console
     * @param cost       its billed figures and cost; {@code null} when it was not looked up (beyond maxDetails) or the look failed
     * @param problem    why its figures are missing when the look failed, or {@code null}
     */
    public record Entry(String jobRunId, String name, String state, Instant createdAt, Instant updatedAt, String consoleUrl,
            JobRunCost cost, String problem) {
    }

    /**
     * What a listing found.
     *
     * @param applicationId the application
     * @param since         the earliest submission listed
     * @param runs          the runs shown, newest first
     * @param more          whether more runs matched than were shown (the limit)
     * @param listCalls     the ListJobRuns calls made
     * @param detailCalls   the GetJobRun calls made
     */
    public record Listing(String applicationId, Instant since, List<Entry> runs, boolean more, int listCalls, int detailCalls) {

        /** The sum of the shown runs' dollars, or {@code null} when none has a price. */
        public Double totalUsd() {
            return runs.stream().map(Entry::cost).filter(c -> c != null && c.usd() != null).map(JobRunCost::usd)
                    .reduce(Double::sum).orElse(null);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("applicationId", applicationId);
            map.put("since", since.toString());
            map.put("runs", runs);
            map.put("more", more);
            map.put("totalUsd", totalUsd());
            return map;
        }
    }

    private final EmrServerlessClient emr;
    private final String region;
    private final PriceTable prices;
    private final ProgressListener listener;

    public JobRunList(EmrServerlessClient emr, String region, PriceTable prices, ProgressListener listener) {
        this.emr = emr;
        this.region = region;
        this.prices = prices == null ? PriceTable.LIST : prices;
        this.listener = listener == null ? ProgressListener.NONE : listener;
    }

    /**
     * The runs of {@code applicationId} submitted after {@code since}, named {@code name} ({@code null}: any), newest
     * first, at most {@code limit}; the first {@code maxDetails} of them with their figures.
     */
    public Listing list(String applicationId, String name, Instant since, int limit, int maxDetails) {
        List<JobRunSummary> found = new ArrayList<>();
        int listCalls = 0;
        String token = null;
        try {
            do {
                String next = token;
                ListJobRunsResponse page = emr.listJobRuns(l -> l.applicationId(applicationId).createdAtAfter(since)
                        .maxResults(PAGE_SIZE).nextToken(next));
                listCalls++;
                for (JobRunSummary s : page.jobRuns()) {
                    if (name == null || name.equals(s.name())) {
                        found.add(s);
                    }
                }
                token = page.nextToken() == null || page.nextToken().isEmpty() ? null : page.nextToken();
                // Pages come newest first: once the limit is reached a further page holds older runs only.
            } while (token != null && found.size() < limit);
        } catch (SdkException e) {
            throw new EngineException("Could not list the job runs of application " + applicationId + ": " + AwsErrors.describe(e), e);
        }
        found.sort(Comparator.comparing(JobRunSummary::createdAt, Comparator.nullsLast(Comparator.reverseOrder())));
        boolean more = found.size() > limit || token != null;
        List<JobRunSummary> shown = found.subList(0, Math.min(limit, found.size()));
        String architecture = architecture(applicationId);
        int details = Math.min(maxDetails, shown.size());
        List<Entry> entries = new ArrayList<>(details(applicationId, shown.subList(0, details), architecture));
        for (JobRunSummary s : shown.subList(details, shown.size())) {
            entries.add(entry(applicationId, s, null, null));
        }
        return new Listing(applicationId, since, entries, more, listCalls, details);
    }

    private List<Entry> details(String applicationId, List<JobRunSummary> runs, String architecture) {
        if (runs.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, runs.size()), r -> {
            Thread t = new Thread(r, "kedro-emrs-runs");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<Entry>> looks = runs.stream().map(s -> CompletableFuture.supplyAsync(() -> {
                try {
                    JobRun r = emr.getJobRun(g -> g.applicationId(applicationId).jobRunId(s.id())).jobRun();
                    JobRunCost cost = JobRunWatcher.TERMINAL.contains(r.state()) ? JobRunCost.of(r, region, architecture, prices) : null;
                    if (cost != null && architecture == null) {
                        cost = cost.withoutPrice("could not read the application's architecture");
                    }
                    return entry(applicationId, s, cost, null);
                } catch (SdkException e) {
                    return entry(applicationId, s, null, "GetJobRun failed: " + AwsErrors.describe(e));
                }
            }, pool)).toList();
            return looks.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    private Entry entry(String applicationId, JobRunSummary s, JobRunCost cost, String problem) {
        return new Entry(s.id(), s.name(), s.stateAsString(), s.createdAt(), s.updatedAt(),
                JobRunLinks.consoleUrl(region, applicationId, s.id()), cost, problem);
    }

    private String architecture(String applicationId) {
        try {
            Architecture a = emr.getApplication(g -> g.applicationId(applicationId)).application().architecture();
            return a == null || a == Architecture.UNKNOWN_TO_SDK_VERSION ? Architecture.X86_64.toString() : a.toString();
        } catch (SdkException e) {
            listener.warn("Could not read application " + applicationId + "'s architecture (" + AwsErrors.describe(e)
                    + "): the runs are shown without dollars");
            return null;
        }
    }

    /**
     * {@code --since}: an age ({@code 30d}, {@code 12h}, {@code 90m}, {@code 2w}) or a date ({@code 2026-11-01}, UTC),
     * at most {@link #RETENTION} back.
     */
    public static Instant since(String value, Clock clock) {
        Instant now = clock.instant();
        String v = value == null ? "" : value.strip();
        Instant at;
        Matcher m = SINCE.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration unit = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            if (n <= 0 || n > RETENTION.dividedBy(unit)) {
                throw badSince(value);
            }
            at = now.minus(unit.multipliedBy(n));
        } else {
            try {
                at = LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw badSince(value);
            }
            if (at.isAfter(now) || at.isBefore(now.minus(RETENTION))) {
                throw badSince(value);
            }
        }
        return at;
    }

    private static InvalidInputException badSince(String value) {
        return new InvalidInputException("since", "\"" + value + "\" is not an age or a date within the last "
                + RETENTION.toDays() + " days", "write an age like 30d, 12h, 90m or 2w, or a date like 2026-11-01 (UTC)");
    }

    /** {@code --limit} / {@code --max-details}: a count from 1 to {@code max}. */
    public static int count(String field, int value, int max) {
        if (value < 1 || value > max) {
            throw new InvalidInputException(field, value + " is out of range", "give a number from 1 to " + max);
        }
        return value;
    }
}
