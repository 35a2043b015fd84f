package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.InputChecks;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsErrors;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import io.jenkins.plugins.kedroemrs.core.polling.Acceptor;
import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import io.jenkins.plugins.kedroemrs.core.polling.PollOutcome;
import io.jenkins.plugins.kedroemrs.core.polling.PollPolicy;
import io.jenkins.plugins.kedroemrs.core.polling.Poller;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.Application;
import software.amazon.awssdk.services.emrserverless.model.ApplicationState;
import software.amazon.awssdk.services.emrserverless.model.ImageConfiguration;
import software.amazon.awssdk.services.emrserverless.model.JobRunState;
import software.amazon.awssdk.services.emrserverless.model.JobRunSummary;
import software.amazon.awssdk.services.emrserverless.model.UpdateApplicationRequest;
import software.amazon.awssdk.services.emrserverless.model.WorkerTypeSpecification;
import software.amazon.awssdk.services.emrserverless.model.WorkerTypeSpecificationInput;

/**
 * {@code emrsRestartApp}: a started application keeps pre-initialised workers on the image it started with, so to
 * run a new image it is stopped (which the service allows only without running job runs), pointed at the new image,
 * started again, and checked: the digest the service resolved must be the one asked for.
 *
 * <p>A restart is a chain of waits, each a series of polls with the project's {@link PollPolicy}. {@link #begin}
 * and {@link #advance} do one step each and return the state to persist and the delay before the next one; no thread
 * waits in between (the Jenkins plugin schedules the steps on its timer). {@link #restart} runs the chain to the end.
 */
public final class ApplicationRestarter {
    static final String SETTLE = "SETTLE";
    static final String DRAIN = "DRAIN";
    static final String AWAIT_STOPPED = "AWAIT_STOPPED";
    static final String AWAIT_STARTED = "AWAIT_STARTED";
    static final String DONE = "DONE";
    /** Job run states that keep an application from stopping. */
    public static final Set<JobRunState> ACTIVE_JOB_RUN_STATES = EnumSet.of(JobRunState.SUBMITTED, JobRunState.PENDING,
            JobRunState.SCHEDULED, JobRunState.QUEUED, JobRunState.RUNNING, JobRunState.CANCELLING);
    private static final Set<ApplicationState> SETTLED = EnumSet.of(ApplicationState.CREATED, ApplicationState.STARTED,
            ApplicationState.STOPPED, ApplicationState.TERMINATED);

    private final EmrServerlessClient emr;
    private final String region;
    private final ProgressListener listener;
    private final Clock clock;
    private final Poller<Application> settle;
    private final Poller<Application> stopped;
    private final Poller<Application> started;
    private final Poller<List<JobRunSummary>> drain;

    public ApplicationRestarter(EmrServerlessClient emr, String region, ProgressListener listener) {
        this(emr, region, listener, PollPolicy.APPLICATION, Clock.systemUTC(), Poller.RANDOM);
    }

    public ApplicationRestarter(EmrServerlessClient emr, String region, ProgressListener listener, PollPolicy policy, Clock clock,
            DoubleSupplier random) {
        this.emr = emr;
        this.region = region;
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.clock = clock;
        Function<Application, String> state = a -> a.stateAsString();
        Acceptor<Application> transientErrors = Acceptor.retryOnException(AwsErrors::isTransient);
        this.settle = new Poller<>(policy, List.of(Acceptor.successOn(a -> SETTLED.contains(a.state())), transientErrors),
                state, random);
        this.stopped = new Poller<>(policy, List.of(Acceptor.successOn(a -> a.state() == ApplicationState.STOPPED),
                Acceptor.failureOn(a -> a.state() == ApplicationState.TERMINATED, a -> "the application was terminated"),
                transientErrors), state, random);
        this.started = new Poller<>(policy, List.of(Acceptor.successOn(a -> a.state() == ApplicationState.STARTED),
                Acceptor.failureOn(a -> a.state() == ApplicationState.STOPPED || a.state() == ApplicationState.TERMINATED,
                        a -> "the application is " + a.state() + " instead of starting"
                                + (blank(a.stateDetails()) ? "" : ": " + a.stateDetails())),
                transientErrors), state, random);
        this.drain = new Poller<>(policy, List.of(Acceptor.successOn(List::isEmpty),
                Acceptor.retryOnException(AwsErrors::isTransient)), ApplicationRestarter::describeRuns, random);
    }

    /** The request, checked; throws {@link InvalidInputException} before any call. */
    record Checked(String applicationId, ImageReference image, String expectDigest, String releaseLabel, RestartRequest request) {
    }

    /** Checks a request without any call: {@link InvalidInputException} naming the field when something is wrong. */
    public static void validate(RestartRequest r) {
        check(r);
    }

    /** Every field checked, every problem reported at once ({@link InputChecks}). */
    static Checked check(RestartRequest r) {
        InputChecks checks = new InputChecks();
        String id = checks.get(() -> EmrsInputs.applicationId(r.applicationId()));
        ImageReference image = r.imageUri() == null ? null : checks.get(() -> EmrsInputs.imageUri(r.imageUri(), r.anyRegistry()));
        String expect = r.expectDigest() == null ? null : checks.get(() -> EmrsInputs.imageDigest(r.expectDigest()));
        if (expect != null && image != null && image.digest() != null && !image.digest().equals(expect)) {
            checks.check(() -> {
                throw new InvalidInputException("expect-digest", "differs from the digest in image-uri (" + image.digest() + ")",
                        "Pass one of them, or the same digest in both");
            });
        }
        boolean withImage = r.imageUri() != null;
        String release = r.releaseLabel() == null ? null : checks.get(() -> EmrsInputs.releaseLabel(r.releaseLabel(), withImage));
        checks.check(() -> EmrsInputs.positive("wait-timeout", r.waitTimeout()));
        if (r.cancelGrace() != null && r.cancelGrace().isNegative()) {
            checks.check(() -> {
                throw new InvalidInputException("cancel-grace-period", "must not be negative", null);
            });
        }
        if (r.leaveStopped() && r.expectDigest() != null) {
            checks.check(() -> {
                throw new InvalidInputException("expect-digest", "an application left stopped resolves no digest",
                        "Drop expect-digest, or let the application start");
            });
        }
        checks.done();
        return new Checked(id, image, expect != null ? expect : image != null ? image.digest() : null, release, r);
    }

    /**
     * Runs the whole restart on this thread, sleeping between polls. Interrupted (Ctrl-C, an aborted build), it says
     * what it leaves behind ({@link RestartState#leftBehind}) and throws.
     */
    public RestartResult restart(RestartRequest request, PollLoop.Sleeper sleeper) throws InterruptedException {
        RestartStep step = begin(request);
        while (!step.done()) {
            try {
                sleeper.sleep(step.delay());
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            } catch (InterruptedException e) {
                listener.warn("Interrupted. " + step.state().leftBehind(request.applicationId().strip()));
                throw e;
            }
            step = advance(request, step.state());
        }
        return step.result();
    }

    /** Checks the request, looks at the application, and takes the first step. */
    public RestartStep begin(RestartRequest request) {
        Checked c = check(request);
        Instant now = clock.instant();
        listener.phase("Restarting EMR Serverless application " + c.applicationId()
                + (c.image() != null ? " onto " + c.image() : ""));
        Application app = getApplication(c.applicationId(), true);
        listener.info("Application " + app.name() + " (" + app.releaseLabel() + ") is " + app.stateAsString()
                + (app.imageConfiguration() != null ? ", image " + app.imageConfiguration().imageUri() : ", default image"));
        listener.link("Application in the EMR console", JobRunLinks.applicationConsoleUrl(region, c.applicationId()));
        PollOutcome<Application> start = settle.start(now, now.plus(request.waitTimeout()));
        RestartState state = new RestartState(SETTLE, start.state(), app.stateAsString(), false, false, "", now);
        return onSettled(c, state, settle.decide(start.state(), now, app, null));
    }

    /** Takes the next step of a restart from its persisted state. */
    public RestartStep advance(RestartRequest request, RestartState state) {
        Checked c = check(request);
        Instant now = clock.instant();
        String id = c.applicationId();
        return switch (state.phase()) {
            case SETTLE -> onSettled(c, state, settle.poll(state.poll(), now, () -> getApplication(id, false)));
            case DRAIN -> onDrained(c, state, drain.poll(state.poll(), now, () -> activeJobRuns(id)));
            case AWAIT_STOPPED -> onStopped(c, state, stopped.poll(state.poll(), now, () -> getApplication(id, false)));
            case AWAIT_STARTED -> onStarted(c, state, started.poll(state.poll(), now, () -> getApplication(id, false)));
            default -> throw new IllegalStateException("the restart is already " + state.phase());
        };
    }

    private RestartStep onSettled(Checked c, RestartState s, PollOutcome<Application> o) {
        if (!o.done()) {
            return waiting(s, SETTLE, o, "for its " + o.state().observed() + " to end");
        }
        Application app = ended(o, "to settle");
        s = s.with(SETTLE, o.state());
        return switch (app.state()) {
            case TERMINATED -> throw new EngineException("Application " + c.applicationId() + " is TERMINATED; a terminated "
                    + "application cannot be started again: create a new one");
            case STARTED -> stopWhenIdle(c, s);
            default -> updateAndStart(c, s, app);
        };
    }

    private RestartStep stopWhenIdle(Checked c, RestartState s) {
        List<JobRunSummary> running = activeJobRuns(c.applicationId());
        if (running.isEmpty()) {
            return stop(c, s);
        }
        RestartRequest.RunningJobs policy = c.request().runningJobs();
        if (policy == RestartRequest.RunningJobs.REFUSE) {
            throw new EngineException("Application " + c.applicationId() + " cannot be stopped: " + describeRuns(running)
                    + ". Wait for them to end, cancel them, or ask the restart to (running-jobs wait or cancel)");
        }
        List<String> cancelled = new ArrayList<>();
        if (policy == RestartRequest.RunningJobs.CANCEL) {
            for (JobRunSummary run : running) {
                if (run.state() != JobRunState.CANCELLING) {
                    cancelJobRun(c.applicationId(), run.id(), c.request().cancelGrace());
                    cancelled.add(run.id());
                }
            }
        } else {
            listener.info("Waiting for " + describeRuns(running) + " to end before stopping the application");
        }
        Instant now = clock.instant();
        PollOutcome<List<JobRunSummary>> start = drain.start(now, now.plus(c.request().waitTimeout()));
        String allCancelled = String.join(",", cancelled);
        RestartState next = new RestartState(DRAIN, start.state(), s.stateBefore(), s.stopped(), s.updated(), allCancelled,
                s.startedAt());
        return new RestartStep(next, start.delay(), null);
    }

    private RestartStep onDrained(Checked c, RestartState s, PollOutcome<List<JobRunSummary>> o) {
        if (!o.done()) {
            return waiting(s, DRAIN, o, "for " + o.state().observed() + " to end");
        }
        ended(o, "for its job runs to end");
        listener.info("No job run is running any more");
        return stop(c, s.with(DRAIN, o.state()));
    }

    private RestartStep stop(Checked c, RestartState s) {
        try {
            emr.stopApplication(r -> r.applicationId(c.applicationId()));
        } catch (SdkException e) {
            throw new EngineException("StopApplication " + c.applicationId() + " failed: " + AwsErrors.describe(e), e);
        }
        listener.info("Stopping the application, so that no worker keeps the old image");
        Instant now = clock.instant();
        PollOutcome<Application> start = stopped.start(now, now.plus(c.request().waitTimeout()));
        RestartState next = new RestartState(AWAIT_STOPPED, start.state(), s.stateBefore(), true, s.updated(),
                s.cancelledJobRuns(), s.startedAt());
        return new RestartStep(next, start.delay(), null);
    }

    private RestartStep onStopped(Checked c, RestartState s, PollOutcome<Application> o) {
        if (!o.done()) {
            return waiting(s, AWAIT_STOPPED, o, "to stop");
        }
        Application app = ended(o, "to stop");
        listener.info("Application is STOPPED");
        return updateAndStart(c, s.with(AWAIT_STOPPED, o.state()), app);
    }

    private RestartStep updateAndStart(Checked c, RestartState s, Application app) {
        boolean updated = s.updated() || update(c, app);
        RestartState next = new RestartState(s.phase(), s.poll(), s.stateBefore(), s.stopped(), updated, s.cancelledJobRuns(),
                s.startedAt());
        if (c.request().leaveStopped()) {
            Application now = getApplication(c.applicationId(), false);
            listener.info("Leaving the application " + now.stateAsString() + ", as asked");
            return done(c, next, now);
        }
        try {
            emr.startApplication(r -> r.applicationId(c.applicationId()));
        } catch (SdkException e) {
            throw new EngineException("StartApplication " + c.applicationId() + " failed: " + AwsErrors.describe(e)
                    + (next.stopped() ? " (the application is stopped now)" : ""), e);
        }
        listener.info("Starting the application");
        Instant now = clock.instant();
        PollOutcome<Application> start = started.start(now, now.plus(c.request().waitTimeout()));
        return new RestartStep(next.with(AWAIT_STARTED, start.state()), start.delay(), null);
    }

    /** Points the application at the new image / release; false when it already is. */
    private boolean update(Checked c, Application app) {
        UpdateApplicationRequest.Builder update = UpdateApplicationRequest.builder().applicationId(c.applicationId());
        List<String> changes = new ArrayList<>();
        if (c.releaseLabel() != null && !c.releaseLabel().equals(app.releaseLabel())) {
            update.releaseLabel(c.releaseLabel());
            changes.add("release " + app.releaseLabel() + " → " + c.releaseLabel());
        }
        if (c.image() != null) {
            String uri = c.image().toString();
            Map<String, WorkerTypeSpecification> workers = new TreeMap<>(app.hasWorkerTypeSpecifications()
                    ? app.workerTypeSpecifications() : Map.of());
            boolean same = app.imageConfiguration() != null && uri.equals(app.imageConfiguration().imageUri())
                    && workers.values().stream().allMatch(w -> w.imageConfiguration() == null
                            || uri.equals(w.imageConfiguration().imageUri()));
            if (!same) {
                update.imageConfiguration(i -> i.imageUri(uri));
                Map<String, WorkerTypeSpecificationInput> perWorker = new LinkedHashMap<>();
                workers.forEach((type, spec) -> {
                    if (spec.imageConfiguration() != null) {
                        perWorker.put(type, WorkerTypeSpecificationInput.builder().imageConfiguration(i -> i.imageUri(uri)).build());
                    }
                });
                if (!perWorker.isEmpty()) {
                    update.workerTypeSpecifications(perWorker);
                }
                changes.add("image " + (app.imageConfiguration() != null ? app.imageConfiguration().imageUri() : "(default)")
                        + " → " + uri + (perWorker.isEmpty() ? "" : " (also for " + String.join(", ", perWorker.keySet()) + ")"));
            } else {
                listener.info("The application is already configured with " + uri + "; restarting resolves it again");
            }
        }
        if (changes.isEmpty()) {
            return false;
        }
        try {
            emr.updateApplication(update.build());
        } catch (SdkException e) {
            throw new EngineException("UpdateApplication " + c.applicationId() + " failed: " + AwsErrors.describe(e)
                    + " (the application is " + app.stateAsString() + " now)", e);
        }
        listener.info("Updated the application: " + String.join("; ", changes));
        return true;
    }

    private RestartStep onStarted(Checked c, RestartState s, PollOutcome<Application> o) {
        if (!o.done()) {
            return waiting(s, AWAIT_STARTED, o, "to start");
        }
        Application app = ended(o, "to start");
        listener.info("Application is STARTED");
        return done(c, s.with(AWAIT_STARTED, o.state()), app);
    }

    private RestartStep done(Checked c, RestartState s, Application app) {
        ImageConfiguration image = app.imageConfiguration();
        String resolved = image == null ? null : image.resolvedImageDigest();
        String expected = c.expectDigest() != null ? c.expectDigest()
                : c.image() == null && image != null && image.imageUri() != null && image.imageUri().contains("@")
                        ? image.imageUri().substring(image.imageUri().indexOf('@') + 1) : null;
        if (app.state() == ApplicationState.STARTED) {
            if (resolved != null) {
                listener.info("The service resolved the image to " + resolved);
            } else if (image != null) {
                listener.warn("The service reported no resolvedImageDigest for " + image.imageUri() + ", so the digest cannot be checked");
            }
            List<String> mismatches = new ArrayList<>();
            if (expected != null && resolved != null && !expected.equals(resolved)) {
                mismatches.add("the application resolved its image to " + resolved);
            }
            if (expected != null && app.hasWorkerTypeSpecifications()) {
                app.workerTypeSpecifications().forEach((type, spec) -> {
                    String d = spec.imageConfiguration() == null ? null : spec.imageConfiguration().resolvedImageDigest();
                    if (d != null && !expected.equals(d)) {
                        mismatches.add("its " + type + " workers resolved theirs to " + d);
                    }
                });
            }
            if (!mismatches.isEmpty()) {
                throw new EngineException("Application " + c.applicationId() + " does not run the image asked for: expected "
                        + expected + ", but " + String.join(" and ", mismatches) + ". Check that the image was pushed to "
                        + (image != null ? image.imageUri() : "the repository") + " and that nothing re-tagged it");
            }
        }
        RestartResult result = new RestartResult(c.applicationId(), app.name(), app.releaseLabel(), s.stateBefore(),
                app.stateAsString(), image == null ? null : image.imageUri(), resolved, s.stopped(), s.updated(),
                s.cancelledJobRuns().isEmpty() ? List.of() : Arrays.asList(s.cancelledJobRuns().split(",")),
                JobRunLinks.applicationConsoleUrl(region, c.applicationId()),
                Duration.between(s.startedAt(), clock.instant()).toMillis());
        return new RestartStep(s.with(DONE, s.poll()), Duration.ZERO, result);
    }

    private <T> RestartStep waiting(RestartState s, String phase, PollOutcome<T> o, String what) {
        if (o.changed()) {
            listener.info("Waiting " + what + " (" + o.state().observed() + ")");
        } else if (o.error() != null) {
            listener.warn("Could not poll (" + AwsErrors.describe(o.error()) + "); trying again in " + Poller.human(o.delay()));
        }
        return new RestartStep(s.with(phase, o.state()), o.delay(), null);
    }

    private <T> T ended(PollOutcome<T> o, String what) {
        switch (o.status()) {
            case SUCCESS:
                return o.response();
            case TIMED_OUT:
                throw new EngineException("Timed out waiting for the application " + what + ": " + o.message()
                        + ". Raise wait-timeout if it is just slow");
            default:
                throw new EngineException("Waiting for the application " + what + " failed: "
                        + (o.error() != null ? AwsErrors.describe(o.error()) : o.message()), o.error());
        }
    }

    private Application getApplication(String id, boolean first) {
        try {
            return emr.getApplication(g -> g.applicationId(id)).application();
        } catch (SdkException e) {
            if (first && AwsErrors.isNotFound(e)) {
                throw new InvalidInputException("application-id", "there is no application " + id + " in " + region,
                        "Check the application id and the region");
            }
            throw e;
        }
    }

    private List<JobRunSummary> activeJobRuns(String id) {
        return emr.listJobRunsPaginator(r -> r.applicationId(id).states(ACTIVE_JOB_RUN_STATES)).jobRuns().stream().toList();
    }

    private void cancelJobRun(String applicationId, String jobRunId, Duration grace) {
        try {
            emr.cancelJobRun(r -> r.applicationId(applicationId).jobRunId(jobRunId)
                    .shutdownGracePeriodInSeconds(grace == null ? null : (int) grace.toSeconds()));
        } catch (SdkException e) {
            throw new EngineException("CancelJobRun " + jobRunId + " failed: " + AwsErrors.describe(e), e);
        }
        listener.info("Cancelled job run " + jobRunId + (grace != null ? " (grace period " + Poller.human(grace) + ")" : ""));
    }

    static String describeRuns(List<JobRunSummary> runs) {
        if (runs.isEmpty()) {
            return "no job runs";
        }
        return runs.size() + " job run" + (runs.size() == 1 ? "" : "s") + " still running ("
                + runs.stream().map(r -> r.id() + " " + r.stateAsString()).collect(Collectors.joining(", ")) + ")";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
