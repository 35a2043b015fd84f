package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Submits a job run and waits for it on the calling thread, cancelling the run when the wait gives up or the thread
 * is interrupted: what {@code kedro-emrs submit} and the freestyle build step do (a freestyle build has no resumable
 * executions, so it waits in its own thread; an abort interrupts it). The Pipeline step instead drives the same
 * {@link JobSubmitter} and {@link JobRunWatcher} from Jenkins' timer, holding no thread.
 */
public final class SubmitAndWait {
    /** How long a cancelled run may take to reach CANCELLED, on top of its grace period, before the wait gives up. */
    public static final Duration CANCEL_PATIENCE = Duration.ofMinutes(2);

    private final JobSubmitter submitter;
    private final JobRunWatcher watcher;
    private final ProgressListener progress;

    private final boolean history;

    /** Waits by the history of the same job's earlier runs ({@link JobRunWatcher#beginWithHistory}). */
    public SubmitAndWait(JobSubmitter submitter, JobRunWatcher watcher, ProgressListener progress) {
        this(submitter, watcher, progress, true);
    }

    /** @param history whether to take the history of the same job's earlier runs before the wait (one ListJobRuns walk) */
    public SubmitAndWait(JobSubmitter submitter, JobRunWatcher watcher, ProgressListener progress, boolean history) {
        this.submitter = submitter;
        this.watcher = watcher;
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.history = history;
    }

    /**
     * How it went.
     *
     * @param run         the submitted run
     * @param result      how it ended, or {@code null} when not waited for
     * @param interrupted whether the wait was interrupted (and the run cancelled)
     * @param gaveUp      whether the run outlasted the wait (and was cancelled)
     */
    public record Outcome(SubmittedJobRun run, JobRunResult result, boolean interrupted, boolean gaveUp) {
        /** Not waited for, or ended with SUCCESS. */
        public boolean succeeded() {
            return !interrupted && !gaveUp && (result == null || result.succeeded());
        }
    }

    /**
     * @param onSubmitted called with the run as soon as the service has accepted it, before the wait (the CLI arms its
     *                    Ctrl-C guard there, Jenkins adds the run to the build's sidebar)
     */
    public Outcome run(SubmitRequest request, boolean wait, Duration waitTimeout, Duration cancelGrace,
            Consumer<SubmittedJobRun> onSubmitted, PollLoop.Sleeper sleeper) throws IOException {
        SubmittedJobRun run = submitter.submit(request);
        onSubmitted.accept(run);
        if (!wait) {
            return new Outcome(run, null, false, false);
        }
        try {
            JobRunResult result = watcher.await(history ? watcher.beginWithHistory(run, waitTimeout) : watcher.begin(run, waitTimeout),
                    sleeper);
            if (result.timedOut()) {
                progress.warn("Cancelling job run " + run.jobRunId() + ", which outlasted the wait (wait-timeout)");
                return new Outcome(run, watcher.cancelAndAwait(run, cancelGrace, CANCEL_PATIENCE, sleeper), false, true);
            }
            return new Outcome(run, result, false, false);
        } catch (InterruptedException e) {
            progress.warn("Interrupted: cancelling job run " + run.jobRunId());
            try {
                return new Outcome(run, watcher.cancelAndAwait(run, cancelGrace, CANCEL_PATIENCE, sleeper), true, false);
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
                throw new EngineException("Interrupted again while cancelling job run " + run.jobRunId()
                        + "; check it in the console: " + run.consoleUrl(), again);
            }
        }
    }
}
