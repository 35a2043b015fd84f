package io.jenkins.plugins.kedroemrs.core.image;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.oci.ImageReference;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The registry's own word on a pushed tag: {@code HEAD /v2/<repository>/manifests/<tag>} and its
 * {@code Docker-Content-Digest}. Deliberately tiny and on its own: when {@code oci.RegistryClient} (issue 5) lands with
 * its manifest-digest method, this class is replaced by a call to it. Loopback registries speak plain HTTP, all others
 * HTTPS.
 */
final class RegistryManifestDigest {
    static final String ACCEPT = String.join(", ",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private RegistryManifestDigest() {
    }

    static URI base(ImageReference ref) {
        return URI.create((ref.isLoopback() ? "http://" : "https://") + ref.registry());
    }

    /**
     * The digest the registry reports for {@code ref}'s tag; empty when the registry wants credentials we do not hold
     * (401 without an {@code authorization}); an {@link EngineException} when it does not know the tag or cannot be reached.
     */
    static Optional<String> head(ImageReference ref, String authorization) throws InterruptedException {
        URI uri = base(ref).resolve("/v2/" + ref.repository() + "/manifests/" + ref.manifestReference());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", ACCEPT).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<Void> r = send(b.build(), ref);
        if (r.statusCode() == 401 && authorization == null) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw new EngineException("The registry answered HTTP " + r.statusCode() + " to HEAD " + uri + " right after the push");
        }
        return Optional.of(r.headers().firstValue("Docker-Content-Digest").orElseThrow(() -> new EngineException(
                "The registry sent no Docker-Content-Digest for " + uri)));
    }

    /** Fails fast, before a long build, when nothing answers at the registry's address. Any HTTP answer will do. */
    static void checkReachable(ImageReference ref) throws InterruptedException {
        send(HttpRequest.newBuilder(base(ref).resolve("/v2/")).GET().timeout(Duration.ofSeconds(30)).build(), ref);
    }

    private static HttpResponse<Void> send(HttpRequest request, ImageReference ref) throws InterruptedException {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new EngineException("The registry " + ref.registry() + " is unreachable (" + describe(e) + " at "
                    + request.uri() + "). Check the repository URI, the agent's network and proxy", e);
        } catch (IOException e) {
            throw new EngineException("Talking to the registry " + ref.registry() + " failed (" + describe(e) + " at " + request.uri() + ")", e);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
