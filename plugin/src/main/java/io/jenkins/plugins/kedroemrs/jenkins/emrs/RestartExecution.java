package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.emrs.ApplicationRestarter;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartAppOptions;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartRequest;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartResult;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartState;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartStep;
import io.jenkins.plugins.kedroemrs.core.polling.Poller;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsFields;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * {@code emrsRestartApp}'s execution: the engine's restart, one step at a time ({@link ApplicationRestarter#begin},
 * then {@link ApplicationRestarter#advance} from the saved {@link RestartState}), each on the timer, no thread held
 * while the application stops or starts.
 *
 * <p>Saved: the options (JSON), the AWS fields, and the restart's state (JSON) after every step. Resumed after a
 * controller restart from that state; without one (the controller stopped during the first step), the restart begins
 * again, which is safe: it starts from the application's real state. {@link #stop} cancels the next step and says what
 * the restart leaves behind (it does not undo what was done; the application finishes a stop or a start on its own).
 */
final class RestartExecution extends TimerStepExecution {
    private static final long serialVersionUID = 1L;

    private final String optionsJson;
    private final String applicationId;
    /** The step's environment sends AWS calls to an endpoint override (LocalStack, moto): any registry's image. */
    private final boolean anyRegistry;
    private volatile String stateJson;

    RestartExecution(StepContext context, RestartAppOptions options, boolean anyRegistry, AwsFields aws, String functionName) {
        super(context, aws, functionName);
        options.toRequest(anyRegistry);
        this.optionsJson = Json.write(options);
        this.applicationId = options.applicationId().strip();
        this.anyRegistry = anyRegistry;
    }

    @Override
    public boolean start() {
        schedule(Duration.ZERO, this::begin);
        return false;
    }

    private RestartRequest request() {
        return Json.read(optionsJson, RestartAppOptions.class, "emrsRestartApp options").toRequest(anyRegistry);
    }

    private ApplicationRestarter restarter() throws Exception {
        AwsClientFactory c = clients();
        return new ApplicationRestarter(c.emrServerless(), c.region().id(), progress(), PollPolicies.applications(),
                Clock.systemUTC(), Poller.RANDOM);
    }

    private void begin() throws Exception {
        next(restarter().begin(request()));
    }

    private void advance() throws Exception {
        next(restarter().advance(request(), RestartState.fromJson(stateJson)));
    }

    private void next(RestartStep step) throws Exception {
        if (step.done()) {
            RestartResult result = step.result();
            progress().info("Application " + result.applicationId() + " is " + result.state()
                    + (result.resolvedImageDigest() != null ? " on " + result.resolvedImageDigest() : ""));
            succeed(result.resolvedImageDigest());
            return;
        }
        stateJson = step.state().toJson();
        getContext().saveState();
        schedule(step.delay(), this::advance);
    }

    @Override
    protected void resume() throws Exception {
        if (stateJson == null) {
            progress().info("Jenkins restarted before the restart's first step was saved: beginning again from the "
                    + "application's state");
            begin();
        } else {
            progress().info("Jenkins restarted: carrying on with the restart of application " + applicationId);
            advance();
        }
    }

    /** Does not undo anything: says what the restart leaves (the application finishes a stop or a start on its own). */
    @Override
    protected void onStop(Throwable cause) throws Exception {
        String left = stateJson == null ? "Application " + applicationId + ": the restart had not saved a step yet; "
                + "look at the application in the console." : RestartState.fromJson(stateJson).leftBehind(applicationId);
        progress().warn("Stopped. " + left);
        fail(cause);
    }

    @Override
    protected String status() {
        if (stateJson == null) {
            return "beginning the restart of application " + applicationId;
        }
        return RestartState.fromJson(stateJson).status(applicationId, Instant.now());
    }
}
