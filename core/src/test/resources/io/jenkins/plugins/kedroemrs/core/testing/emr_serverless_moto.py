"""moto_server with the EMR Serverless behaviours moto leaves out: a stand-in for the real service's lifecycle.

The real EMR Serverless service is asynchronous: a job run goes SUBMITTED -> PENDING -> SCHEDULED -> RUNNING -> SUCCESS
or FAILED over minutes, a cancelled one passes through CANCELLING, an application passes through STARTING and STOPPING,
refuses to stop while job runs are running, resolves its custom image to a digest when it starts, answers
GetDashboardForJobRun, returns the same job run for a repeated clientToken, and sometimes throttles. moto 5.2 does none of
that (job runs are SUCCESS at once, applications STARTED/STOPPED at once, imageConfiguration is dropped, clientToken is
ignored, ListJobRuns fails for an application without runs, GetDashboardForJobRun is missing). This script runs moto's
own server (all services, unchanged) with small patches to its EMR Serverless backend that add those behaviours, driven
by the number of polls rather than by time so tests are fast and deterministic, plus a control endpoint under
/_kedro-emrs/ for the tests:

  POST   /_kedro-emrs/config   {"jobScript": ["SUBMITTED", "RUNNING*3", "FAILED"], "stateDetails": "...",
                                "appScript": {"start": [...], "stop": [...]}, "resolvedDigests": {"<imageUri>": "sha256:..."}}
  POST   /_kedro-emrs/faults   {"method": "GET", "path": "/jobruns/[^/]+$", "status": 429, "code": "ThrottlingException",
                                "count": 3}  (the next 3 matching requests fail that way; "service": "iam"
                                matches the signing service, for the Query APIs that all POST to /)
  GET    /_kedro-emrs/calls    every AWS request received since the last reset, as "service METHOD /path"
  DELETE /_kedro-emrs/calls    the same, and forget them
  GET    /_kedro-emrs/job-runs every job run with its state, client token and cancel grace period
  POST   /_kedro-emrs/reset    forget config, faults and calls (moto's own /moto-api/reset forgets the resources)

A script entry "STATE*N" means N polls in that state. Each GetJobRun (GetApplication) moves to the next entry; when the
script is used up the state stays (ListJobRuns counts as a look at each run of the application). A job script entry
"STATE@S" is timed, as the real service is: the run shows STATE until S seconds after StartJobRun, however often it is
polled, then the next entry (for waits measured in time, e.g. the Jenkins waits benchmark). Usage: python emr_serverless_moto.py [--host 127.0.0.1] [--port 5000]
"""

import argparse
import copy
import datetime
import hashlib
import json
import re
import secrets
import signal
import sys
import threading
import time

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from moto.core.responses import ActionResult
from moto.emrserverless import models, responses, urls
from moto.emrserverless.exceptions import ResourceNotFoundException, ValidationException
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

CONTROL = "/_kedro-emrs/"
DEFAULTS = {
    "jobScript": ["SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "SUCCESS"],
    "stateDetails": None,
    "appScript": {"start": ["STARTING", "STARTED"], "stop": ["STOPPING", "STOPPED"]},
    "resolvedDigests": {},
    # Milliseconds every AWS request waits before it is answered: the round trip from an agent to AWS, which moto on
    # loopback does not have (benchmarks set it to compare calls made one by one with calls made at once).
    "latencyMs": 0,
}
ACTIVE = {"SUBMITTED", "PENDING", "SCHEDULED", "QUEUED", "RUNNING", "CANCELLING"}
TERMINAL = {"SUCCESS", "FAILED", "CANCELLED"}

lock = threading.RLock()
config = copy.deepcopy(DEFAULTS)
faults = []
calls = []


def expand(script):
    """["RUNNING*3", "SUCCESS"] -> ["RUNNING", "RUNNING", "RUNNING", "SUCCESS"]"""
    out = []
    for entry in script:
        state, _, times = entry.partition("*")
        out.extend([state] * (int(times) if times else 1))
    return out


def advance(obj):
    """The next scripted state, as one poll sees it."""
    script = getattr(obj, "script", None)
    while script and "@" in script[0]:
        state, _, seconds = script[0].partition("@")
        if time.monotonic() < getattr(obj, "script_start", 0) + float(seconds):
            obj.state = state
            return
        script.pop(0)  # its time is over: this poll sees the next entry
    if script:
        obj.state = script.pop(0)
        if obj.state == "STARTED":
            resolve_digests(obj)
        if obj.state == "FAILED" and getattr(obj, "failure_details", None):
            obj.state_details = obj.failure_details


def resolve_digests(app):
    """Like the service at start: the digest an image URI points at (a pinned digest, a configured tag, or a made-up one)."""

    def digest_of(uri):
        if "@" in uri:
            return uri.split("@", 1)[1]
        return config["resolvedDigests"].get(uri) or "sha256:" + hashlib.sha256(uri.encode()).hexdigest()

    image = getattr(app, "image_configuration", None)
    if image and image.get("imageUri"):
        image["resolvedImageDigest"] = digest_of(image["imageUri"])
    for spec in (getattr(app, "worker_type_specifications", None) or {}).values():
        image = spec.get("imageConfiguration")
        if image and image.get("imageUri"):
            image["resolvedImageDigest"] = digest_of(image["imageUri"])


def all_runs(backend, application_id):
    return backend.job_runs.get(application_id, [])


# --- backend patches -------------------------------------------------------------------------------------------------

original_start_job_run = models.EMRServerlessBackend.start_job_run


def start_job_run(self, **kwargs):
    token = kwargs.get("client_token")
    with lock:
        for run in all_runs(self, kwargs["application_id"]):
            if token and run.client_token == token:
                return run  # the service's idempotency: same client token, same job run
        run = original_start_job_run(self, **kwargs)
        run.state = "SUBMITTED"
        run.script = expand(config["jobScript"])
        run.script_start = time.monotonic()
        run.failure_details = config["stateDetails"]
        run.grace_period = None
        return run


def stop_application(self, application_id):
    app = self.get_application(application_id)
    with lock:
        running = [r.id for r in all_runs(self, application_id) if r.state in ACTIVE]
        if running:
            raise ValidationException(
                f"Application {application_id} cannot be stopped while job runs are running: {', '.join(running)}")
        if app.state in ("STARTED", "STARTING"):
            app.state = "STOPPING"
            app.script = expand(config["appScript"]["stop"])


def start_application(self, application_id):
    app = self.get_application(application_id)
    with lock:
        if app.state == "TERMINATED":
            raise ValidationException(f"Application {application_id} is terminated")
        if app.state in ("CREATED", "STOPPED"):
            app.state = "STARTING"
            app.script = expand(config["appScript"]["start"])


def list_job_runs(self, application_id, created_at_after, created_at_before, states):
    self.get_application(application_id)  # the service answers [] for an application without runs
    with lock:
        runs = all_runs(self, application_id)
        for run in runs:
            advance(run)  # a listing is a look at each run, like a GetJobRun
        return [r for r in runs if not states or r.state in states]


models.EMRServerlessBackend.start_job_run = start_job_run
models.EMRServerlessBackend.stop_application = stop_application
models.EMRServerlessBackend.start_application = start_application
models.EMRServerlessBackend.list_job_runs = list_job_runs

# --- response patches (what moto parses but drops) -------------------------------------------------------------------

Response_ = responses.EMRServerlessResponse
original_create_application = Response_.create_application
original_update_application = Response_.update_application
original_get_application = Response_.get_application
original_get_job_run = Response_.get_job_run


def keep_configuration(response, app):
    image = response._get_param("imageConfiguration")
    if image:
        app.image_configuration = {"imageUri": image["imageUri"]}
    workers = response._get_param("workerTypeSpecifications")
    if workers:
        specs = getattr(app, "worker_type_specifications", None) or {}
        for kind, spec in workers.items():
            uri = (spec.get("imageConfiguration") or {}).get("imageUri")
            specs[kind] = {"imageConfiguration": {"imageUri": uri}} if uri else {}
        app.worker_type_specifications = specs
    monitoring = response._get_param("monitoringConfiguration")
    if monitoring:
        app.monitoring_configuration = monitoring
    release = response._get_param("releaseLabel")
    if release:
        app.release_label = release


def create_application(self):
    result = original_create_application(self)
    keep_configuration(self, self.emrserverless_backend.get_application(result.result["applicationId"]))
    return result


def update_application(self):
    result = original_update_application(self)
    keep_configuration(self, self.emrserverless_backend.get_application(self._get_param("applicationId")))
    return result


def get_application(self):
    with lock:
        advance(self.emrserverless_backend.get_application(self._get_param("applicationId")))
    return original_get_application(self)


def get_job_run(self):
    run = self.emrserverless_backend.get_job_run(self._get_param("applicationId"), self._get_param("jobRunId"))
    with lock:
        advance(run)
    return original_get_job_run(self)


def cancel_job_run(self):
    application_id = self._get_param("applicationId")
    run = self.emrserverless_backend.get_job_run(application_id, self._get_param("jobRunId"))
    with lock:
        if run.state in TERMINAL:
            raise ValidationException(f"Job run {run.id} is in a terminal state ({run.state})")
        run.state = "CANCELLING"
        run.script = ["CANCELLING", "CANCELLED"]
        run.grace_period = self._get_param("shutdownGracePeriodInSeconds")
    return ActionResult({"applicationId": application_id, "jobRunId": run.id})


def get_dashboard_for_job_run(self):
    application_id = self._get_param("applicationId")
    run = self.emrserverless_backend.get_job_run(application_id, self._get_param("jobRunId"))
    # Shaped like the service's answer: a one-hour, pre-signed link to the Spark UI, different every time.
    url = (f"https://p-{run.id}-{application_id}.emrappui-prod.{self.region}.amazonaws.com/shs/"
           f"?authToken={secrets.token_urlsafe(24)}")
    return ActionResult({"url": url})


Response_.create_application = create_application
Response_.update_application = update_application
Response_.get_application = get_application
Response_.get_job_run = get_job_run
Response_.cancel_job_run = cancel_job_run
Response_.get_dashboard_for_job_run = get_dashboard_for_job_run
urls.url_paths["{0}/applications/(?P<applicationId>[^/]+)/jobruns/(?P<jobRunId>[^/]+)/dashboard$"] = Response_.dispatch

# --- run times (for the history a wait polls by) ---------------------------------------------------------------------
# Stands in for what the real service records of a job run's times and moto does not: createdAt is the moment of
# StartJobRun (moto: today's midnight) and updatedAt, once the run has ended, the moment it ended (moto: never changes),
# so that ListJobRuns shows how long each successful run took. A run scripted with timed entries ("RUNNING@S") ends S
# seconds after StartJobRun, however late a poll sees it; any other run ends when a poll sees its terminal state. Also
# as the service: ListJobRuns honours createdAtAfter and lists the newest runs first; and a listing that asks for
# SUCCESS runs only (what a wait's history lookup asks) is no look at the runs that have not ended: it does not move
# their scripts on (only time moves timed entries on).

def timed_end(script):
    """The offset in seconds of the last timed entry of a job script, or None when it has none."""
    ends = [float(entry.partition("@")[2]) for entry in script if "@" in entry]
    return max(ends) if ends else None


original_start_job_run_for_times = models.EMRServerlessBackend.start_job_run


def start_job_run_with_times(self, **kwargs):
    run = original_start_job_run_for_times(self, **kwargs)
    with lock:
        if not hasattr(run, "ended_after"):
            run.created_at = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
            run.updated_at = run.created_at
            run.ended_after = timed_end(run.script)
    return run


advance_without_times = advance


def advance_with_times(obj):
    before = getattr(obj, "state", None)
    advance_without_times(obj)
    if isinstance(obj, models.JobRun) and obj.state in TERMINAL and before not in TERMINAL:
        seconds = getattr(obj, "ended_after", None)
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        obj.updated_at = obj.created_at + datetime.timedelta(seconds=seconds) if seconds is not None else now


def as_datetime(value):
    if value is None or isinstance(value, datetime.datetime):
        return value
    if isinstance(value, (int, float)) or re.fullmatch(r"[0-9.]+", str(value)):
        return datetime.datetime.fromtimestamp(float(value), datetime.timezone.utc).replace(tzinfo=None)
    parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None) if parsed.tzinfo else parsed


list_job_runs_without_times = models.EMRServerlessBackend.list_job_runs


def list_job_runs_with_times(self, application_id, created_at_after, created_at_before, states):
    if states and set(states) == {"SUCCESS"}:
        self.get_application(application_id)
        with lock:
            runs = all_runs(self, application_id)
            for run in runs:
                if getattr(run, "script", None) and "@" in run.script[0]:
                    advance(run)  # only time moves a timed entry on
            runs = [r for r in runs if r.state == "SUCCESS"]
    else:
        runs = list_job_runs_without_times(self, application_id, created_at_after, created_at_before, states)
    after, before = as_datetime(created_at_after), as_datetime(created_at_before)
    runs = [r for r in runs if (after is None or r.created_at > after) and (before is None or r.created_at < before)]
    return sorted(runs, key=lambda r: r.created_at, reverse=True)


advance = advance_with_times
models.EMRServerlessBackend.start_job_run = start_job_run_with_times
models.EMRServerlessBackend.list_job_runs = list_job_runs_with_times

# --- what a run is billed (for the cost line and `kedro-emrs runs`) ---------------------------------------------------
# Stands in for the figures the real service fills in when a job run ends and moto leaves at zero or out:
# billedResourceUtilization and totalResourceUtilization (vCPU-, memory GB- and storage GB-hours),
# totalExecutionDurationSeconds, queuedDurationMilliseconds, startedAt and endedAt; and the application's architecture
# (moto drops it; the service answers X86_64 or ARM64). By default a run is billed as the service bills a run of
# DEFAULT_WORKER (its execution time, at least one minute per worker, no storage beyond the free 20 GB); a test sets
# exact figures with config {"jobUsage": {"vCPUHour": 1.42, "memoryGBHour": 5.68, "storageGBHour": 0,
# "executionSeconds": 243, "queuedMs": 12000}} (any subset; the rest is computed).

DEFAULTS["jobUsage"] = {}
config["jobUsage"] = {}
DEFAULT_WORKER = {"vCPU": 8, "memoryGB": 32}


def fill_usage(run):
    usage = config.get("jobUsage") or {}
    queued_ms = int(usage.get("queuedMs", 0))
    elapsed = max(0.0, (run.updated_at - run.created_at).total_seconds() - queued_ms / 1000.0)
    seconds = int(usage.get("executionSeconds", round(elapsed)))
    hours = max(seconds, 60) / 3600.0
    billed = {"vCPUHour": float(usage.get("vCPUHour", round(DEFAULT_WORKER["vCPU"] * hours, 6))),
              "memoryGBHour": float(usage.get("memoryGBHour", round(DEFAULT_WORKER["memoryGB"] * hours, 6))),
              "storageGBHour": float(usage.get("storageGBHour", 0.0))}
    run.billed_resource_utilization = billed
    run.total_resource_utilization = dict(billed)
    run.total_execution_duration_seconds = seconds
    run.queued_duration_milliseconds = queued_ms
    run.started_at = run.created_at + datetime.timedelta(milliseconds=queued_ms)
    run.ended_at = run.updated_at


advance_without_usage = advance


def advance_with_usage(obj):
    before = getattr(obj, "state", None)
    advance_without_usage(obj)
    if isinstance(obj, models.JobRun) and obj.state in TERMINAL and before not in TERMINAL:
        fill_usage(obj)


advance = advance_with_usage

keep_configuration_without_architecture = keep_configuration


def keep_configuration_with_architecture(response, app):
    keep_configuration_without_architecture(response, app)
    architecture = response._get_param("architecture")
    if architecture:
        app.architecture = architecture
    elif not hasattr(app, "architecture"):
        app.architecture = "X86_64"  # the service's default


keep_configuration = keep_configuration_with_architecture

# --- IAM policy simulation (for preflight's checks of the job runtime role) -------------------------------------------
# Stands in for iam:SimulatePrincipalPolicy, which moto does not implement: the real service evaluates the principal's
# identity policies (inline and attached) for each action and resource and answers allowed, explicitDeny or
# implicitDeny. Here moto's own policy evaluator (moto.iam.access_control.IAMPolicy, the one moto uses to authorise
# requests) decides each pair over the role's inline and attached policies; an explicit Deny wins, as in IAM.
# Resource policies, permission boundaries, SCPs and condition context keys are not evaluated.

from moto.iam import responses as iam_responses
from moto.iam.access_control import IAMPolicy, PermissionResult


def simulate_principal_policy(self):
    source = self._get_param("PolicySourceArn")
    actions = self._get_param("ActionNames", [])
    resources = self._get_param("ResourceArns", []) or ["*"]
    role = self.backend.get_role_by_arn(source)
    documents = list(role.policies.values()) + list(role.managed_policies.values())
    results = []
    for action in actions:
        for resource in resources:
            decision = "implicitDeny"
            for document in documents:
                verdict = IAMPolicy(document).is_action_permitted(action, resource)
                if verdict == PermissionResult.DENIED:
                    decision = "explicitDeny"
                    break
                if verdict == PermissionResult.PERMITTED:
                    decision = "allowed"
            results.append({"EvalActionName": action, "EvalResourceName": resource, "EvalDecision": decision})
    return ActionResult({"EvaluationResults": results, "IsTruncated": False})


iam_responses.IamResponse.simulate_principal_policy = simulate_principal_policy

# --- the server: moto's app behind a small WSGI layer for control, faults and the call log ---------------------------

QUERY_SERVICES = {"iam", "sts"}
CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/")


def control(request):
    global config
    what = request.path[len(CONTROL):]
    with lock:
        if what == "config" and request.method == "POST":
            config.update(json.loads(request.get_data() or b"{}"))
            return {"config": config}
        if what == "faults" and request.method == "POST":
            fault = json.loads(request.get_data())
            fault.setdefault("count", 1)
            fault.setdefault("message", "Rate exceeded")
            faults.append(fault)
            return {"faults": faults}
        if what == "calls":
            answer = {"calls": list(calls)}
            if request.method == "DELETE":
                calls.clear()
            return answer
        if what == "job-runs":
            backends = models.emrserverless_backends
            runs = []
            for account in backends:
                for region in backends[account]:
                    for app_runs in backends[account][region].job_runs.values():
                        runs.extend({"applicationId": r.application_id, "jobRunId": r.id, "state": r.state,
                                     "clientToken": r.client_token, "gracePeriod": getattr(r, "grace_period", None),
                                     "name": r.name} for r in app_runs)
            return {"jobRuns": runs}
        if what == "reset" and request.method == "POST":
            config = copy.deepcopy(DEFAULTS)
            faults.clear()
            calls.clear()
            return {"reset": True}
    return None


def matching_fault(request, service):
    with lock:
        for fault in faults:
            if fault["count"] > 0 and fault.get("method", request.method) == request.method \
                    and fault.get("service", service) == service and re.search(fault["path"], request.path):
                fault["count"] -= 1
                return fault
    return None


def application(moto_app):
    def app(environ, start_response):
        request = Request(environ)
        if request.path.startswith(CONTROL):
            answer = control(request)
            status = 200 if answer is not None else 404
            return Response(json.dumps(answer), status=status, content_type="application/json")(environ, start_response)
        if not request.path.startswith("/moto-api"):
            scope = CREDENTIAL_SCOPE.search(request.headers.get("Authorization", ""))
            service = scope.group(1) if scope else "?"
            with lock:
                calls.append(f"{service} {request.method} {request.path}")
            latency = config.get("latencyMs") or 0
            if latency:
                time.sleep(latency / 1000)  # outside the lock: concurrent requests wait concurrently, as over a network
            fault = matching_fault(request, service)
            if fault:
                request_id = secrets.token_hex(8)
                if service in QUERY_SERVICES:  # the Query protocol's error document, as IAM and STS answer
                    body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{fault['code']}</Code><Message>"
                            f"{fault['message']}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>")
                    return Response(body, status=fault["status"], content_type="text/xml")(environ, start_response)
                body = json.dumps({"message": fault["message"]})
                headers = {"x-amzn-ErrorType": fault["code"] + ":", "x-amzn-RequestId": request_id}
                return Response(body, status=fault["status"], headers=headers,
                                content_type="application/json")(environ, start_response)
        return moto_app(environ, start_response)

    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    server = make_server(args.host, args.port, application(DomainDispatcherApplication(create_backend_app)),
                         threaded=True, request_handler=MotoRequestHandler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    print(f"EMR Serverless stand-in (moto) on http://{args.host}:{args.port}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
