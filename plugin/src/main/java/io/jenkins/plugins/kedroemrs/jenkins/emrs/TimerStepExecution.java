package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import hudson.EnvVars;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.jenkins.Failures;
import io.jenkins.plugins.kedroemrs.jenkins.JenkinsProgress;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsFields;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A step execution that waits for something in AWS without holding a thread, after WBS {@code SleepStep}: each
 * piece of work (one AWS call and its decision, a function of the execution's saved fields) is scheduled on Jenkins'
 * shared {@link Timer}, which hands it to {@link Computer#threadPoolForRemoting} (the timer's few threads must not
 * block on the network; the remoting pool is Jenkins' pool for blocking I/O). Between two pieces nothing runs. The
 * pieces of one execution run one at a time.
 *
 * <p>What subclasses save are strings (engine state as JSON) and {@link AwsFields}; credentials and AWS clients are
 * transient and built again after a restart ({@link #clients()}), from the credentials id and the step's environment.
 */
abstract class TimerStepExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(TimerStepExecution.class.getName());

    /** The step's AWS fields: ids and names, nothing secret. */
    protected final AwsFields aws;
    private final String functionName;

    private transient volatile ScheduledFuture<?> next;
    private transient volatile boolean busy;
    private transient volatile boolean ended;
    private transient volatile Throwable stopCause;
    private transient volatile AwsClientFactory clients;
    private transient Object workLock;

    /** One piece of work, on a pool thread. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    TimerStepExecution(StepContext context, AwsFields aws, String functionName) {
        super(context);
        this.aws = aws;
        this.functionName = functionName;
    }

    /** Schedules the next piece of work after {@code delay}; nothing once the step ended or was asked to stop. */
    protected final synchronized void schedule(Duration delay, Work work) {
        if (ended || stopCause != null) {
            return;
        }
        arm(delay, work, false);
    }

    /** Schedules the work of a stop (it runs even though a stop was asked for). */
    protected final synchronized void scheduleStopWork(Duration delay, Work work) {
        if (!ended) {
            arm(delay, work, true);
        }
    }

    private void arm(Duration delay, Work work, boolean forStop) {
        long millis = Math.max(0, delay.toMillis());
        next = Timer.get().schedule(() -> Computer.threadPoolForRemoting.submit(() -> run(work, forStop)), millis,
                TimeUnit.MILLISECONDS);
    }

    private synchronized Object workLock() {
        if (workLock == null) {
            workLock = new Object();
        }
        return workLock;
    }

    private void run(Work work, boolean forStop) {
        synchronized (workLock()) {
            if (ended || stopCause != null && !forStop) {
                return; // a poll that fired as the stop came in: the stop's work takes over
            }
            busy = true;
            try {
                work.run();
            } catch (EngineException e) {
                fail(Failures.abort(e));
            } catch (SdkException e) {
                fail(Failures.abort(e));
            } catch (Exception e) {
                LOGGER.log(Level.FINE, functionName + " failed", e);
                fail(e);
            } catch (Throwable e) {
                // An Error (a LinkageError of a plugin mix-up, an AssertionError, an OutOfMemoryError …): whatever it is,
                // the step must end, or its build waits forever for an onSuccess/onFailure that never comes.
                LOGGER.log(Level.WARNING, functionName + " failed", e);
                fail(e);
            } finally {
                busy = false;
            }
        }
    }

    /** Ends the step with a value for the script. */
    protected final void succeed(Object value) {
        if (end()) {
            getContext().onSuccess(value);
        }
    }

    /** Ends the step with a failure. */
    protected final void fail(Throwable cause) {
        if (end()) {
            getContext().onFailure(cause);
        }
    }

    private synchronized boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        if (next != null) {
            next.cancel(false);
        }
        if (clients != null) {
            clients.close();
            clients = null;
        }
        return true;
    }

    /**
     * Asked to stop (an abort): cancels the scheduled work and runs {@link #onStop} on the pool, after any piece of
     * work under way; further requests are ignored. The step ends when {@link #onStop}'s work fails it.
     */
    @Override
    public final void stop(Throwable cause) {
        synchronized (this) {
            if (ended || stopCause != null) {
                return;
            }
            stopCause = cause;
            if (next != null) {
                next.cancel(false);
            }
        }
        scheduleStopWork(Duration.ZERO, () -> onStop(cause));
    }

    /** What a stop does before the step fails with {@code cause}: say what is left, cancel what can be cancelled. */
    protected abstract void onStop(Throwable cause) throws Exception;

    protected final boolean isStopping() {
        return stopCause != null;
    }

    /**
     * AWS clients for this execution, made on first use (again after a restart) and closed when the step ends. They
     * are made outside the monitor: asking the context may wait for the program to load after a restart, the
     * credentials lookup may assume a role and the region chain may wait for instance metadata, and {@link #stop}
     * (on the CPS VM thread) must never wait for any of that.
     */
    protected final AwsClientFactory clients() throws IOException, InterruptedException {
        AwsClientFactory made = clients;
        if (made != null) {
            return made;
        }
        Run<?, ?> run = getContext().get(Run.class);
        EnvVars env = getContext().get(EnvVars.class);
        AwsClientFactory fresh = new AwsClientFactory(aws.settings(run, env));
        synchronized (this) {
            if (clients == null && !ended) {
                clients = fresh;
                return fresh;
            }
            made = clients;
        }
        fresh.close(); // another piece made them first, or the step ended meanwhile
        if (made == null) {
            throw new IllegalStateException(functionName + " has ended");
        }
        return made;
    }

    /** The build log, through the engine's progress format, prefixed with the step's name. */
    protected final JenkinsProgress progress() throws IOException, InterruptedException {
        return new JenkinsProgress(getContext().get(TaskListener.class), functionName);
    }

    /** A restarted controller: pick the wait up from the saved fields, on the pool (the context may still be loading). */
    @Override
    public final void onResume() {
        schedule(Duration.ZERO, this::resume);
    }

    /** Carries on from the saved fields after a controller restart. */
    protected abstract void resume() throws Exception;

    /** A call is under way: a restart now would have to repeat it. */
    @Override
    public boolean blocksRestart() {
        return busy;
    }

    @Override
    public final String getStatus() {
        String status = status();
        return busy ? status + " (polling now)" : status;
    }

    protected abstract String status();
}
