package io.jenkins.plugins.kedroemrs.core.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pull-only client of the OCI distribution API (what {@code docker pull} speaks), without a container runtime.
 *
 * <ul>
 *   <li>{@link #manifestDigest(ImageReference)}: the digest of what a tag points to, from one HEAD request
 *       ({@code Docker-Content-Digest}), e.g. to pin a just-pushed image as {@code repo@sha256:…}.</li>
 *   <li>{@link #manifest(ImageReference)}: the manifest or index, digest-verified.</li>
 *   <li>{@link #resolve(ImageReference, Platform)}: one platform's manifest (picked from an index when there is one),
 *       its config, and its layers, which open as streams verified against their digests.</li>
 * </ul>
 *
 * <p>Registries on loopback ({@link ImageReference#isLoopback()}) are spoken to over plain HTTP, all others over HTTPS.
 * Authentication follows the registry's {@code WWW-Authenticate} challenge: Bearer (a token from the realm, for the
 * repository's pull scope, with the credentials when there are any) or Basic; ECR logins are sent up front. Blob
 * downloads follow redirects (ECR and Docker Hub serve layers from S3/CDN URLs) without the registry credentials.
 * Failures are {@link EngineException}s that say which registry, which repository and what it answered.
 */
public final class RegistryClient {
    /** Largest manifest or config accepted (the distribution spec asks registries to take 4 MiB manifests). */
    static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;

    private final RegistryAuth auth;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String value, Instant expires) {
    }

    /** A manifest document as served: its bytes, its media type and its (verified) digest. */
    public record FetchedManifest(byte[] body, String mediaType, String digest, ManifestDocument document) {
    }

    public RegistryClient(RegistryAuth auth) {
        this(auth, Duration.ofSeconds(10), Duration.ofMinutes(2));
    }

    public RegistryClient(RegistryAuth auth, Duration connectTimeout, Duration requestTimeout) {
        this.auth = auth == null ? RegistryAuth.anonymous() : auth;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The digest ({@code sha256:<hex>}) of the manifest or index {@code ref} names, as the registry reports it in
     * {@code Docker-Content-Digest} for a HEAD request: for a multi-platform image, the index's digest. This is the
     * digest to pin an image by ({@code ref.withDigest(digest)}); nothing else is downloaded. When the registry sends no
     * digest header, the manifest is fetched and hashed instead. For a reference that already has a digest, the
     * registry must confirm it.
     */
    public String manifestDigest(ImageReference ref) throws InterruptedException {
        URI uri = manifestUri(ref, ref.manifestReference());
        HttpResponse<InputStream> r = send(ref, "HEAD", uri, MediaTypes.ACCEPT_MANIFESTS);
        closeQuietly(r);
        if (r.statusCode() != 200) {
            throw failure(ref, "manifest " + ref.manifestReference(), r, null);
        }
        Optional<String> header = r.headers().firstValue("Docker-Content-Digest");
        if (header.isPresent() && Descriptor.SHA256.matcher(header.get()).matches()) {
            if (ref.digest() != null && !ref.digest().equals(header.get())) {
                throw new EngineException("The registry " + ref.registry() + " reports digest " + header.get() + " for " + ref);
            }
            return header.get();
        }
        return manifest(ref).digest();
    }

    /**
     * Fails fast, before a long build or push, when nothing answers at the registry's address: any HTTP answer to
     * {@code GET /v2/} will do (401 included); no answer is an {@link EngineException} saying the registry is unreachable.
     */
    public void checkReachable(ImageReference ref) throws InterruptedException {
        closeQuietly(call(ref, HttpRequest.newBuilder(base(ref).resolve("/v2/")).timeout(requestTimeout).GET()
                .header("User-Agent", "kedro-emrs").build()));
    }

    /** The manifest or index {@code ref} names (by digest when it has one, else by tag), digest-verified. */
    public FetchedManifest manifest(ImageReference ref) throws InterruptedException {
        return manifest(ref, ref.manifestReference());
    }

    private FetchedManifest manifest(ImageReference ref, String reference) throws InterruptedException {
        URI uri = manifestUri(ref, reference);
        HttpResponse<InputStream> r = send(ref, "GET", uri, MediaTypes.ACCEPT_MANIFESTS);
        if (r.statusCode() != 200) {
            throw failure(ref, "manifest " + reference, r, readError(r));
        }
        byte[] body = readLimited(r, ref, "manifest " + reference);
        String digest = "sha256:" + Hashing.sha256(body);
        if (reference.startsWith("sha256:") && !reference.equals(digest)) {
            throw new EngineException("The manifest " + reference + " served by " + ref.registry() + " hashes to " + digest);
        }
        Optional<String> header = r.headers().firstValue("Docker-Content-Digest");
        if (header.isPresent() && header.get().startsWith("sha256:") && !header.get().equals(digest)) {
            throw new EngineException("The registry " + ref.registry() + " says the manifest of " + ref + " is " + header.get()
                    + ", but its bytes hash to " + digest);
        }
        String contentType = r.headers().firstValue("Content-Type").orElse(null);
        String where = ref.repositoryUri() + (reference.startsWith("sha256:") ? "@" : ":") + reference;
        ManifestDocument doc = OciJson.parseManifest(body, contentType, where);
        return new FetchedManifest(body, doc.mediaType(), digest, doc);
    }

    /**
     * Resolves {@code ref} to one platform's image: fetches the manifest; from an index, the manifest of {@code wanted}
     * (with {@code null}: linux/amd64, or the only platform); then the config blob. Layers are not read here.
     *
     * @throws PlatformNotFoundException when an index has no manifest for {@code wanted}
     */
    public ResolvedImage resolve(ImageReference ref, Platform wanted) throws InterruptedException {
        FetchedManifest top = manifest(ref);
        String indexDigest = null;
        List<Platform> offered;
        FetchedManifest chosen = top;
        if (top.document() instanceof ManifestDocument.Index index) {
            indexDigest = top.digest();
            offered = index.platforms();
            Descriptor d = PlatformSelector.select(index, wanted, ref.toString());
            chosen = manifest(ref, d.digest());
            if (!(chosen.document() instanceof ManifestDocument.Manifest)) {
                throw new EngineException("The index of " + ref + " points to another index for " + d.platform()
                        + "; nested indexes are not supported");
            }
        } else {
            offered = null;
        }
        ManifestDocument.Manifest m = (ManifestDocument.Manifest) chosen.document();
        byte[] configBytes = blob(ref, m.config(), MAX_DOCUMENT_BYTES);
        ImageConfig config = OciJson.parseConfig(configBytes, ref.toString());
        List<ResolvedImage.Layer> layers = layersOf(m, config, ref.toString());
        return new ResolvedImage(ref.toString(), indexDigest, chosen.digest(), offered == null ? List.of(config.platform()) : offered,
                config, layers, i -> openBlob(ref, layers.get(i).descriptor(), "layer " + (i + 1) + "/" + layers.size() + " of " + ref));
    }

    static List<ResolvedImage.Layer> layersOf(ManifestDocument.Manifest m, ImageConfig config, String name) {
        if (!config.diffIds().isEmpty() && config.diffIds().size() != m.layers().size()) {
            throw new EngineException("The image " + name + " is inconsistent: its manifest lists " + m.layers().size()
                    + " layers, its config " + config.diffIds().size());
        }
        List<ResolvedImage.Layer> layers = new ArrayList<>();
        for (int i = 0; i < m.layers().size(); i++) {
            layers.add(new ResolvedImage.Layer(i, m.layers().get(i), config.diffIds().isEmpty() ? null : config.diffIds().get(i)));
        }
        return layers;
    }

    /** A small blob (a config) in memory, digest-verified; refuses blobs larger than {@code maxBytes}. */
    public byte[] blob(ImageReference repo, Descriptor d, int maxBytes) throws InterruptedException {
        if (d.size() > maxBytes) {
            throw new EngineException("The blob " + d.digest() + " of " + repo + " has " + d.size() + " bytes; at most " + maxBytes
                    + " are read into memory");
        }
        try (VerifyingInputStream in = openBlob(repo, d, "blob " + d.digest() + " of " + repo)) {
            byte[] bytes = in.readAllBytes();
            if (!in.verified()) {
                throw new EngineException("The blob " + d.digest() + " of " + repo + " could not be verified");
            }
            return bytes;
        } catch (IOException e) {
            throw new EngineException("Reading " + d.digest() + " from " + repo.registry() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a blob as a stream that checks its size and digest when read to the end. Follows redirects to storage
     * URLs without sending the registry credentials there.
     */
    public VerifyingInputStream openBlob(ImageReference repo, Descriptor d, String what) throws InterruptedException {
        URI uri = base(repo).resolve("/v2/" + repo.repository() + "/blobs/" + d.digest());
        HttpResponse<InputStream> r = send(repo, "GET", uri, "*/*");
        if (r.statusCode() != 200) {
            throw failure(repo, "blob " + d.digest(), r, readError(r));
        }
        return new VerifyingInputStream(r.body(), d.digest(), d.size(), what);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private HttpResponse<InputStream> send(ImageReference ref, String method, URI uri, String accept) throws InterruptedException {
        String scope = "repository:" + ref.repository() + ":pull";
        String authorization = cachedAuthorization(scope);
        HttpResponse<InputStream> r = exchange(ref, method, uri, accept, authorization);
        if (r.statusCode() != 401) {
            return r;
        }
        closeQuietly(r);
        String header = r.headers().firstValue("WWW-Authenticate").orElse(null);
        if (header == null) {
            throw new RegistryLoginRequiredException("The registry " + ref.registry() + " refused access to " + ref.repository()
                    + " (401 Unauthorized) without saying how to log in");
        }
        WwwAuthenticate challenge = WwwAuthenticate.parse(header);
        if (challenge.scheme().equals("bearer")) {
            authorization = "Bearer " + token(ref, challenge, scope);
        } else if (challenge.scheme().equals("basic") && auth.hasCredentials()) {
            authorization = auth.basicHeader();
        } else {
            throw new RegistryLoginRequiredException("The registry " + ref.registry() + " needs a login for " + ref.repository()
                    + " (401 Unauthorized, " + challenge.scheme() + " challenge)" + loginHint(ref));
        }
        r = exchange(ref, method, uri, accept, authorization);
        if (r.statusCode() == 401) {
            closeQuietly(r);
            throw new RegistryLoginRequiredException("The registry " + ref.registry() + " refused the " + (auth.hasCredentials() ? "credentials" : "anonymous token")
                    + " for " + ref.repository() + " (401 Unauthorized)" + loginHint(ref));
        }
        return r;
    }

    private String cachedAuthorization(String scope) {
        if (auth.preemptive()) {
            return auth.basicHeader();
        }
        for (Map.Entry<String, Token> e : tokens.entrySet()) {
            if (e.getKey().endsWith(" " + scope) && e.getValue().expires().isAfter(Instant.now())) {
                return "Bearer " + e.getValue().value();
            }
        }
        return null;
    }

    private String token(ImageReference ref, WwwAuthenticate challenge, String scope) throws InterruptedException {
        String realm = challenge.params().get("realm");
        if (realm == null || !(realm.startsWith("https://") || realm.startsWith("http://"))) {
            throw new EngineException("The registry " + ref.registry() + " sent a Bearer challenge without a usable realm: " + realm);
        }
        String service = challenge.params().get("service");
        String tokenScope = challenge.params().getOrDefault("scope", scope);
        String key = realm + " " + service + " " + tokenScope;
        Token cached = tokens.get(key);
        if (cached != null && cached.expires().isAfter(Instant.now())) {
            return cached.value();
        }
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
        if (service != null) {
            url.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8)).append('&');
        }
        url.append("scope=").append(URLEncoder.encode(tokenScope, StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.toString())).timeout(requestTimeout).GET()
                .header("User-Agent", "kedro-emrs");
        if (auth.hasCredentials()) {
            b.header("Authorization", auth.basicHeader());
        }
        HttpResponse<InputStream> r = call(ref, b.build());
        if (r.statusCode() != 200) {
            String err = readError(r);
            String message = "The token service of " + ref.registry() + " (" + realm + ") answered " + r.statusCode()
                    + (err == null ? "" : ": " + err) + loginHint(ref);
            throw r.statusCode() == 401 || r.statusCode() == 403 ? new RegistryLoginRequiredException(message) : new EngineException(message);
        }
        JsonNode json = OciJson.readTree(readLimited(r, ref, "token"), "token response of " + realm);
        String token = json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText(null);
        if (token == null || token.isBlank()) {
            throw new EngineException("The token service of " + ref.registry() + " (" + realm + ") returned no token");
        }
        long seconds = Math.max(json.path("expires_in").asLong(60), 10);
        tokens.put(key, new Token(token, Instant.now().plusSeconds(seconds - 5)));
        return token;
    }

    /** One request, following redirects (credentials only to the registry's own host). */
    private HttpResponse<InputStream> exchange(ImageReference ref, String method, URI uri, String accept, String authorization)
            throws InterruptedException {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(current).timeout(requestTimeout)
                    .method(method, HttpRequest.BodyPublishers.noBody()).header("Accept", accept).header("User-Agent", "kedro-emrs");
            if (authorization != null && sameOrigin(current, uri)) {
                b.header("Authorization", authorization);
            }
            HttpResponse<InputStream> r = call(ref, b.build());
            int s = r.statusCode();
            if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
                return r;
            }
            closeQuietly(r);
            String location = r.headers().firstValue("Location").orElse(null);
            if (location == null || hop >= MAX_REDIRECTS) {
                throw new EngineException("The registry " + ref.registry() + " redirected " + current + (location == null
                        ? " without a Location" : " more than " + MAX_REDIRECTS + " times"));
            }
            current = current.resolve(location);
        }
    }

    private HttpResponse<InputStream> call(ImageReference ref, HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(ref, request, "the connection timed out");
        } catch (HttpTimeoutException e) {
            throw unreachable(ref, request, "no answer within " + requestTimeout.toSeconds() + " s");
        } catch (ConnectException e) {
            throw unreachable(ref, request, e.getMessage() == null ? "connection refused" : e.getMessage());
        } catch (UnresolvedAddressException e) {
            throw unreachable(ref, request, "unknown host");
        } catch (IOException e) {
            throw unreachable(ref, request, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static EngineException unreachable(ImageReference ref, HttpRequest request, String why) {
        return new EngineException("Cannot reach the registry " + ref.registry() + " at " + request.uri().getScheme() + "://"
                + request.uri().getAuthority() + " (" + why + "): check the image reference and that the registry is up"
                + (ref.isLoopback() ? "" : " and reachable over HTTPS"));
    }

    private EngineException failure(ImageReference ref, String what, HttpResponse<InputStream> r, String error) {
        String detail = error == null ? "" : ": " + error;
        return switch (r.statusCode()) {
            case 404 -> new EngineException("The registry " + ref.registry() + " has no " + what + " in " + ref.repository()
                    + " (404 Not Found" + detail + "): check the repository and tag of " + ref);
            case 403 -> new EngineException("The registry " + ref.registry() + " denied access to " + ref.repository()
                    + " (403 Forbidden" + detail + ")" + loginHint(ref));
            case 429 -> new EngineException("The registry " + ref.registry() + " is rate-limiting pulls of " + ref.repository()
                    + " (429 Too Many Requests" + detail + "); try again later or log in");
            default -> new EngineException("The registry " + ref.registry() + " answered " + r.statusCode() + " for " + what
                    + " of " + ref.repository() + detail);
        };
    }

    private String loginHint(ImageReference ref) {
        if (ref.ecrAccountId() != null) {
            return auth.hasCredentials() ? ": the ECR login may have expired or lack ecr:BatchGetImage/ecr:GetDownloadUrlForLayer"
                    : ": log in to ECR (give the AWS region and credentials)";
        }
        return auth.hasCredentials() ? ": check the registry username and password" : ": this registry needs a username and password";
    }

    /** The registry's error text (the distribution API's {@code errors[].code/message}), or {@code null}. */
    private static String readError(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(64 * 1024);
            if (bytes.length == 0) {
                return null;
            }
            try {
                JsonNode errors = io.jenkins.plugins.kedroemrs.core.util.Json.MAPPER.readTree(bytes).path("errors");
                List<String> parts = new ArrayList<>();
                for (JsonNode e : errors) {
                    parts.add(e.path("code").asText() + (e.hasNonNull("message") ? " " + e.get("message").asText() : ""));
                }
                if (!parts.isEmpty()) {
                    return String.join("; ", parts);
                }
            } catch (IOException notJson) {
                // a plain-text or HTML error page: shown as text below
            }
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            return text.length() > 200 ? text.substring(0, 200) + "…" : text;
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] readLimited(HttpResponse<InputStream> r, ImageReference ref, String what) {
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
            if (bytes.length > MAX_DOCUMENT_BYTES) {
                throw new EngineException("The " + what + " of " + ref + " is larger than " + MAX_DOCUMENT_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new EngineException("Reading the " + what + " of " + ref + " from " + ref.registry() + " failed: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException ignored) {
            // closing a response body we do not need; nothing to report
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equals(b.getScheme()) && a.getAuthority().equals(b.getAuthority());
    }

    private static URI manifestUri(ImageReference ref, String reference) {
        return base(ref).resolve("/v2/" + ref.repository() + "/manifests/" + reference);
    }

    /** {@code http://} for loopback registries, {@code https://} otherwise; Docker Hub's API host for {@code docker.io}. */
    static URI base(ImageReference ref) {
        String host = ref.registry().equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : ref.registry();
        return URI.create((ref.isLoopback() ? "http://" : "https://") + host + "/");
    }
}
