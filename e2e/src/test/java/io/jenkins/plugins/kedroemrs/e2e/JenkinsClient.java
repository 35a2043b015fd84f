package io.jenkins.plugins.kedroemrs.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Jenkins' REST API as a script or a user's tool uses it: a session cookie and a CSRF crumb
 * ({@code /crumbIssuer/api/json}) on every POST, {@code createItem} with a config.xml, {@code build}, the queue item
 * and the build's JSON, its console as text and as HTML, {@code scriptText} for what an administrator does in the
 * script console. No Jenkins class is used: this is what a client outside Jenkins sees.
 */
public final class JenkinsClient {
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

    private final URI base;
    private final HttpClient http;
    private final String authorization;
    private String crumbField;
    private String crumb;

    /**
     * A client of the Jenkins at {@code base}; with {@code JENKINS_USER} and {@code JENKINS_API_TOKEN} in the environment
     * (a Jenkins with security, e.g. one given to the demo) every request is authenticated with that user's API token.
     */
    JenkinsClient(URI base) {
        this.base = base;
        HttpClient.Builder http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10));
        String user = System.getenv("JENKINS_USER");
        String token = System.getenv("JENKINS_API_TOKEN");
        // Preemptive: Jenkins answers 403, not a 401 challenge, to an anonymous request it refuses.
        this.authorization = user == null || token == null ? null : "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        this.http = http.build();
    }

    public URI base() {
        return base;
    }

    /** {@code path} relative to Jenkins' root, e.g. {@code job/flow/1/}. */
    public URI url(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** A GET's answer, whatever its status. */
    public HttpResponse<String> fetch(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET that must answer 200. */
    public String get(String path) throws IOException, InterruptedException {
        return ok(fetch(path), "GET " + path).body();
    }

    public JsonNode json(String path) throws IOException, InterruptedException {
        return Json.MAPPER.readTree(get(path));
    }

    /** A form POST with the crumb, whatever its status. */
    public HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        return send(path, "application/x-www-form-urlencoded", body);
    }

    /** A POST of an XML document with the crumb, whatever its status. */
    public HttpResponse<String> postXml(String path, String xml) throws IOException, InterruptedException {
        return send(path, "application/xml; charset=UTF-8", xml);
    }

    private HttpResponse<String> send(String path, String contentType, String body) throws IOException, InterruptedException {
        crumb();
        HttpRequest request = request(path).header("Content-Type", contentType)
                .header(crumbField, crumb).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).timeout(CALL_TIMEOUT);
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    /** The crumb of this client's session (asked once; Jenkins ties crumbs to the session). */
    private synchronized void crumb() throws IOException, InterruptedException {
        if (crumb == null) {
            JsonNode issued = json("crumbIssuer/api/json");
            crumbField = issued.path("crumbRequestField").asText();
            crumb = issued.path("crumb").asText();
        }
    }

    /** Creates a job from its config.xml ({@code POST /createItem?name=…}). */
    public void createJob(String name, String configXml) throws IOException, InterruptedException {
        ok(postXml("createItem?name=" + encode(name), configXml), "createItem " + name);
    }

    /** Runs Groovy in the script console (what an administrator does there) and answers what it printed. */
    public String script(String groovy) throws IOException, InterruptedException {
        return ok(post("scriptText", Map.of("script", groovy)), "scriptText").body();
    }

    /** Schedules a build and answers its number once it left the queue. */
    public int build(String job) throws IOException, InterruptedException {
        HttpResponse<String> queued = post("job/" + job + "/build?delay=0sec", Map.of());
        if (queued.statusCode() != 201) {
            throw new IllegalStateException("POST job/" + job + "/build answered " + queued.statusCode() + ": " + queued.body());
        }
        URI item = URI.create(queued.headers().firstValue("Location").orElseThrow());
        String itemPath = base.relativize(item).getPath();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            JsonNode q = json(itemPath + "api/json");
            if (q.path("executable").has("number")) {
                return q.path("executable").path("number").asInt();
            }
            if (q.path("cancelled").asBoolean(false)) {
                throw new IllegalStateException("build of " + job + " was cancelled in the queue");
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("build of " + job + " did not leave the queue in 2 minutes");
    }

    /** The build's JSON once it ended. */
    public JsonNode awaitBuild(String job, int number, Duration limit) throws IOException, InterruptedException {
        JsonNode build = awaitJson("job/" + job + "/" + number + "/api/json", b -> !b.path("building").asBoolean(true), limit);
        if (build == null) {
            throw new IllegalStateException(job + " #" + number + " still runs after " + limit + "; its log:\n" + console(job, number));
        }
        return build;
    }

    /** Polls {@code path}'s JSON until {@code done} (404s count as not yet); {@code null} after {@code limit}. */
    public JsonNode awaitJson(String path, Predicate<JsonNode> done, Duration limit) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = fetch(path);
            if (r.statusCode() == 200) {
                JsonNode node = Json.MAPPER.readTree(r.body());
                if (done.test(node)) {
                    return node;
                }
            }
            Thread.sleep(500);
        }
        return null;
    }

    /** The build log as text. */
    public String console(String job, int number) throws IOException, InterruptedException {
        return get("job/" + job + "/" + number + "/consoleText");
    }

    /** The build log as the console page shows it (console notes rendered: links are {@code <a href>}). */
    public String consoleHtml(String job, int number) throws IOException, InterruptedException {
        return get("job/" + job + "/" + number + "/console");
    }

    /** Waits until the build log contains {@code text}. */
    public void awaitConsole(String job, int number, String text, Duration limit) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = fetch("job/" + job + "/" + number + "/consoleText");
            if (r.statusCode() == 200 && r.body().contains(text)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(job + " #" + number + " did not log \"" + text + "\" in " + limit + "; its log:\n"
                + console(job, number));
    }

    /** A form of name/value pairs, in order. */
    public static Map<String, String> form(String... nameValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            form.put(nameValues[i], nameValues[i + 1]);
        }
        return form;
    }

    static HttpResponse<String> ok(HttpResponse<String> response, String what) {
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw new UncheckedIOException(new IOException(what + " answered " + response.statusCode() + ": "
                    + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body)));
        }
        return response;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
