package io.jenkins.plugins.kedroemrs.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the login and storage behaviour of hosted registries in front of the real {@link LocalRegistry}, which
 * still serves every manifest and blob: a Bearer challenge with a token service (as Docker Hub, GHCR and Harbor do;
 * Debian's docker-registry supports token auth only with a JWT-signing token server and certificates), or a Basic
 * challenge (htpasswd registries), and blob downloads redirected to a second origin (as ECR redirects to S3). It records
 * the Authorization header each origin saw, so tests can check credentials never follow a redirect.
 */
public final class AuthenticatingRegistryProxy implements AutoCloseable {
    public enum Mode { BEARER, BASIC }

    public static final String TOKEN = "test-token-7f3a";
    private final HttpServer registryFront;
    private final HttpServer storage;
    private final String upstream;
    private final Mode mode;
    private final String user;
    private final String password;
    private final HttpClient http = HttpClient.newHttpClient();
    /** "registry: <Authorization>" / "storage: <Authorization>" / "token: <Authorization>", one per request. */
    public final List<String> seen = new CopyOnWriteArrayList<>();

    public AuthenticatingRegistryProxy(LocalRegistry registry, Mode mode, String user, String password) throws IOException {
        this.upstream = "http://" + registry.host();
        this.mode = mode;
        this.user = user;
        this.password = password;
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        registryFront = HttpServer.create(loopback, 0);
        storage = HttpServer.create(loopback, 0);
        registryFront.createContext("/token", this::token);
        registryFront.createContext("/v2/", this::registry);
        storage.createContext("/", this::storage);
        registryFront.start();
        storage.start();
    }

    /** {@code 127.0.0.1:<port>}: use it as the registry of image references. */
    public String host() {
        return "127.0.0.1:" + registryFront.getAddress().getPort();
    }

    private void token(HttpExchange x) throws IOException {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        seen.add("token: " + auth + " " + x.getRequestURI().getRawQuery());
        if (!basic().equals(auth)) {
            respond(x, 401, "application/json", "{\"details\":\"incorrect username or password\"}");
            return;
        }
        respond(x, 200, "application/json", "{\"token\":\"" + TOKEN + "\",\"expires_in\":300}");
    }

    private void registry(HttpExchange x) throws IOException {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        seen.add("registry: " + auth);
        String expected = mode == Mode.BEARER ? "Bearer " + TOKEN : basic();
        if (!expected.equals(auth)) {
            x.getResponseHeaders().add("WWW-Authenticate", mode == Mode.BEARER
                    ? "Bearer realm=\"http://" + host() + "/token\",service=\"test-registry\",scope=\"repository:"
                            + repository(x.getRequestURI().getPath()) + ":pull\""
                    : "Basic realm=\"test-registry\"");
            respond(x, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            return;
        }
        String path = x.getRequestURI().getRawPath();
        if (path.contains("/blobs/") && x.getRequestMethod().equals("GET")) {
            x.getResponseHeaders().add("Location", "http://127.0.0.1:" + storage.getAddress().getPort() + path);
            x.sendResponseHeaders(307, -1);
            x.close();
            return;
        }
        forward(x, path);
    }

    private void storage(HttpExchange x) throws IOException {
        seen.add("storage: " + x.getRequestHeaders().getFirst("Authorization"));
        forward(x, x.getRequestURI().getRawPath());
    }

    private void forward(HttpExchange x, String path) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + path))
                .method(x.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
        String accept = x.getRequestHeaders().getFirst("Accept");
        if (accept != null) {
            b.header("Accept", accept);
        }
        HttpResponse<InputStream> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        for (String h : List.of("Content-Type", "Docker-Content-Digest", "Content-Length")) {
            r.headers().firstValue(h).ifPresent(v -> x.getResponseHeaders().add(h, v));
        }
        boolean head = x.getRequestMethod().equals("HEAD");
        long length = r.headers().firstValueAsLong("Content-Length").orElse(0);
        x.sendResponseHeaders(r.statusCode(), head ? -1 : length == 0 ? -1 : length);
        try (InputStream in = r.body(); OutputStream out = x.getResponseBody()) {
            if (!head) {
                in.transferTo(out);
            }
        }
    }

    private static String repository(String path) {
        String rest = path.substring("/v2/".length());
        int cut = Math.max(rest.indexOf("/manifests/"), rest.indexOf("/blobs/"));
        return cut < 0 ? rest : rest.substring(0, cut);
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        registryFront.stop(0);
        storage.stop(0);
    }
}
