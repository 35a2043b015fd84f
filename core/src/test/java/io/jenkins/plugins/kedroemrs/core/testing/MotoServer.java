package io.jenkins.plugins.kedroemrs.core.testing;

import io.jenkins.plugins.kedroemrs.core.aws.AwsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A real moto_server (from .venv, see scripts/setup-python) on a free loopback port, one per test JVM, stopped when
 * the JVM exits. Tests call {@link #reset()} to start from an empty account. Credentials are moto's fixed fake keys.
 */
public final class MotoServer {
    public static final String REGION = "us-east-1";
    /** moto's account; role ARNs must use it. */
    public static final String ACCOUNT = "123456789012";
    private static MotoServer shared;

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /** The JVM-wide server; skips the test (fails it under CI=true) when moto_server is not installed. */
    public static synchronized MotoServer shared() throws IOException, InterruptedException {
        if (shared != null && shared.process.isAlive()) {
            return shared;
        }
        Path motoServer = TestPython.path().getParent().resolve("moto_server");
        Peers.require(Files.isExecutable(motoServer), "moto_server at " + motoServer, "run scripts/setup-python");
        shared = launch(List.of(motoServer.toString(), "-H", "127.0.0.1", "-p"), "moto_server");
        return shared;
    }

    /**
     * Starts a moto server from {@code command} (to which the port is appended) on a free loopback port, stopped when
     * the JVM exits; for peers built on moto's server (see {@link EmrServerlessMoto}).
     */
    static MotoServer launch(List<String> command, String what) throws IOException, InterruptedException {
        int port = FreePorts.pick();
        Path log = Files.createTempFile("moto-server-", ".log");
        List<String> args = new ArrayList<>(command);
        args.add(Integer.toString(port));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!FreePorts.awaitListening(port, p, Duration.ofSeconds(60))) {
            p.destroyForcibly();
            throw new IllegalStateException(what + " did not start on port " + port + ": " + Files.readString(log));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return new MotoServer(p, URI.create("http://127.0.0.1:" + port), log);
    }

    boolean alive() {
        return process.isAlive();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Settings pointing every client at this server, with moto's fixed fake credentials. */
    public AwsSettings settings() {
        return AwsSettings.defaults().withRegion(REGION).withEndpointUrl(endpoint)
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    }

    /** Forgets every resource (moto's reset API). */
    public void reset() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("moto reset answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** What the server printed (requests and errors), for failure messages. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
