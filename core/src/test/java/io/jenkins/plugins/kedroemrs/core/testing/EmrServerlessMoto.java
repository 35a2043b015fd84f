package io.jenkins.plugins.kedroemrs.core.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the real EMR Serverless service's <em>lifecycle</em>: moto's own server (every service, unchanged)
 * run by {@code emr_serverless_moto.py}, a thin wrapper that patches moto's EMR Serverless backend with what moto
 * leaves out and the real service does — job runs that pass through SUBMITTED … RUNNING to SUCCESS, FAILED or (via
 * CANCELLING) CANCELLED; applications that pass through STARTING and STOPPING, refuse to stop while job runs run and
 * resolve their image to a {@code resolvedImageDigest} when they start; idempotent StartJobRun client tokens;
 * GetDashboardForJobRun; the billed figures of an ended run ({@link #jobUsage}) and the application's architecture;
 * throttling and 5xx on demand. States advance one per poll, as scripted by the test
 * ({@link #jobScript}), so tests are deterministic and fast. Also records every AWS request ({@link #calls}), which
 * is how tests prove that bad input made no call.
 *
 * <p>Tests use plain {@link MotoServer} where moto itself shows the behaviour; this peer only where it cannot.
 */
public final class EmrServerlessMoto {
    static final String SCRIPT = "emr_serverless_moto.py";
    private static EmrServerlessMoto shared;

    private final MotoServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private EmrServerlessMoto(MotoServer server) {
        this.server = server;
    }

    /** The JVM-wide instance; skips the test (fails it under CI=true) when moto is not installed. */
    public static synchronized EmrServerlessMoto shared() throws IOException, InterruptedException {
        if (shared != null && shared.server.alive()) {
            return shared;
        }
        Path python = TestPython.path();
        Peers.require(Files.isExecutable(python.getParent().resolve("moto_server")), "moto (moto_server next to " + python + ")",
                "run scripts/setup-python");
        shared = new EmrServerlessMoto(MotoServer.launch(List.of(python.toString(), script().toString(), "--host", "127.0.0.1",
                "--port"), SCRIPT));
        return shared;
    }

    /** The wrapper script as a file (also what scripts/demo runs). */
    public static Path script() throws IOException {
        Path file = Files.createTempFile("emr-serverless-moto-", ".py");
        try (InputStream in = EmrServerlessMoto.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is not on the test class path");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        file.toFile().deleteOnExit();
        return file;
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** Settings pointing every client at this server, with moto's fixed fake credentials. */
    public AwsSettings settings() {
        return server.settings();
    }

    /** Forgets every resource, the scripts, the faults and the call log. */
    public void reset() throws IOException, InterruptedException {
        server.reset();
        control("POST", "reset", Map.of());
    }

    /** The states new job runs go through, one per GetJobRun, e.g. {@code SUBMITTED, RUNNING*3, FAILED}. */
    public void jobScript(String... states) throws IOException, InterruptedException {
        control("POST", "config", Map.of("jobScript", List.of(states)));
    }

    /** The stateDetails a scripted FAILED job run reports. */
    public void failureDetails(String details) throws IOException, InterruptedException {
        control("POST", "config", Map.of("stateDetails", details));
    }

    /** The states after StartApplication / StopApplication, one per GetApplication. */
    public void applicationScripts(List<String> start, List<String> stop) throws IOException, InterruptedException {
        control("POST", "config", Map.of("appScript", Map.of("start", start, "stop", stop)));
    }

    /**
     * Every AWS request waits this long before it is answered (0: none, the default): the round trip from an agent
     * to AWS, which moto on loopback lacks. Requests in flight together wait together.
     */
    public void latency(int millis) throws IOException, InterruptedException {
        control("POST", "config", Map.of("latencyMs", millis));
    }

    /** What digest the service resolves an image URI (a tag) to when the application starts. */
    public void resolvesTo(String imageUri, String digest) throws IOException, InterruptedException {
        control("POST", "config", Map.of("resolvedDigests", Map.of(imageUri, digest)));
    }

    /**
     * The figures job runs report when they end, as the real service fills them in and moto leaves at zero:
     * {@code vCPUHour}, {@code memoryGBHour}, {@code storageGBHour} (billed and total), {@code executionSeconds},
     * {@code queuedMs}; any subset, the rest computed (8 vCPU and 32 GB for the run's execution time, at least a minute).
     */
    public void jobUsage(Map<String, ?> usage) throws IOException, InterruptedException {
        control("POST", "config", Map.of("jobUsage", usage));
    }

    /** The next {@code count} requests whose method and path match fail with this HTTP status and error code. */
    public void fault(String method, String pathRegex, int status, String code, int count) throws IOException, InterruptedException {
        control("POST", "faults", Map.of("method", method, "path", pathRegex, "status", status, "code", code, "count", count));
    }

    /** As {@link #fault}, for the requests signed for {@code service} only (IAM and STS both POST to {@code /}). */
    public void serviceFault(String service, int status, String code, int count) throws IOException, InterruptedException {
        control("POST", "faults", Map.of("service", service, "method", "POST", "path", "^/$", "status", status, "code", code,
                "count", count));
    }

    /** Every AWS request since the last reset, as {@code service METHOD /path}. */
    public List<String> calls() throws IOException, InterruptedException {
        return Json.MAPPER.convertValue(control("GET", "calls", null).get("calls"), new TypeReference<List<String>>() { });
    }

    /** Forgets the calls made so far (e.g. by a test's own set-up). */
    public void clearCalls() throws IOException, InterruptedException {
        control("DELETE", "calls", null);
    }

    /** Every job run: applicationId, jobRunId, state, clientToken, gracePeriod (of a cancel), name. */
    public List<Map<String, Object>> jobRuns() throws IOException, InterruptedException {
        return Json.MAPPER.convertValue(control("GET", "job-runs", null).get("jobRuns"),
                new TypeReference<List<Map<String, Object>>>() { });
    }

    /** What the server printed, for failure messages. */
    public String log() {
        return server.log();
    }

    private Map<String, Object> control(String method, String what, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint().resolve("/_kedro-emrs/" + what));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new UncheckedIOException(new IOException("control " + what + " answered " + r.statusCode() + ": " + r.body()));
        }
        return Json.MAPPER.readValue(r.body(), new TypeReference<Map<String, Object>>() { });
    }
}
