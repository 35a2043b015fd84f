package io.jenkins.plugins.kedroemrs.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.testing.AuthenticatingRegistryProxy;
import io.jenkins.plugins.kedroemrs.core.testing.FreePorts;
import io.jenkins.plugins.kedroemrs.core.testing.LocalRegistry;
import io.jenkins.plugins.kedroemrs.core.testing.TestImage;
import io.jenkins.plugins.kedroemrs.core.testing.TestLayer;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution API client against the real registry (and, for logins and redirects, the proxy in front of it). */
class RegistryClientTest {
    @TempDir
    static Path dir;
    static LocalRegistry registry;
    static TestImage image;
    static String digest;

    @BeforeAll
    static void push() throws Exception {
        registry = LocalRegistry.shared();
        image = new TestImage().user("hadoop:hadoop").entrypoint("/usr/bin/entrypoint.sh")
                .layer(new TestLayer().file("/usr/bin/tini", 0755, "tini").write(dir))
                .layer(new TestLayer().uncompressed().file("/home/hadoop/x", 0644, "x").write(dir));
        digest = image.push(registry.host(), "client/app", "1.0");
    }

    @Test
    void manifestDigestIsWhatThePushReturnedFromOneHeadRequest() throws Exception {
        RegistryClient client = new RegistryClient(RegistryAuth.anonymous());
        ImageReference ref = ImageReference.parse(registry.host() + "/client/app:1.0");
        assertThat(client.manifestDigest(ref)).isEqualTo(digest);
        assertThat(client.manifestDigest(ref.withDigest(digest))).isEqualTo(digest);
        String index = TestImage.pushIndex(registry.host(), "client/app", "multi", false, List.of(image));
        assertThat(client.manifestDigest(ImageReference.parse(registry.host() + "/client/app:multi"))).isEqualTo(index);
    }

    @Test
    void resolvesConfigAndLayersAndStreamsVerifiedBlobs() throws Exception {
        RegistryClient client = new RegistryClient(RegistryAuth.anonymous());
        ResolvedImage r = client.resolve(ImageReference.parse(registry.host() + "/client/app:1.0"), null);
        assertThat(r.manifestDigest()).isEqualTo(digest);
        assertThat(r.indexDigest()).isNull();
        assertThat(r.config().user()).isEqualTo("hadoop:hadoop");
        assertThat(r.layers()).extracting(l -> l.descriptor().mediaType()).containsExactly(MediaTypes.OCI_LAYER_GZIP, MediaTypes.OCI_LAYER_TAR);
        try (VerifyingInputStream in = r.openLayer(1)) {
            in.transferTo(OutputStream.nullOutputStream());
            assertThat(in.verified()).isTrue();
        }
    }

    @Test
    void readsDockerV2ManifestsAndManifestLists() throws Exception {
        TestImage docker = new TestImage().dockerMediaTypes().platform("linux", "arm64", "v8")
                .layer(new TestLayer().file("/a", 0644, "a").write(dir));
        docker.push(registry.host(), "client/docker", "arm");
        TestImage.pushIndex(registry.host(), "client/docker", "list", true, List.of(docker));
        ResolvedImage r = new RegistryClient(null).resolve(ImageReference.parse(registry.host() + "/client/docker:list"), Platform.LINUX_ARM64);
        assertThat(r.platform()).hasToString("linux/arm64/v8");
        assertThat(r.offered()).containsExactly(new Platform("linux", "arm64", "v8"));
        assertThat(r.layers().get(0).descriptor().mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER_GZIP);
        assertThatThrownBy(() -> new RegistryClient(null).resolve(ImageReference.parse(registry.host() + "/client/docker:list"), Platform.LINUX_AMD64))
                .isInstanceOf(PlatformNotFoundException.class)
                .hasMessage(registry.host() + "/client/docker:list has no image for linux/amd64; its index offers [linux/arm64/v8]");
    }

    @Test
    void aMalformedManifestStoredInTheRegistryIsOneClearError() throws Exception {
        // The real registry accepts an OCI manifest without "layers"; it is no image a runtime could run.
        byte[] config = new TestImage().configJson();
        new TestImage().push(registry.host(), "client/bad", "config-only"); // uploads that config blob
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"sha256:" + Hashing.sha256(config) + "\",\"size\":" + config.length + "}}";
        TestImage.pushManifest(registry.host(), "client/bad", "no-layers", body.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
        assertThatThrownBy(() -> new RegistryClient(null).resolve(ImageReference.parse(registry.host() + "/client/bad:no-layers"), null))
                .isInstanceOf(EngineException.class)
                .hasMessage("The manifest of " + registry.host() + "/client/bad:no-layers is malformed: neither an image manifest "
                        + "(config + layers) nor an index (manifests)");
    }

    @Test
    void unknownTagsAndRepositoriesAre404sThatSaySo() {
        RegistryClient client = new RegistryClient(null);
        assertThatThrownBy(() -> client.manifestDigest(ImageReference.parse(registry.host() + "/client/app:2.0")))
                .hasMessage("The registry " + registry.host() + " has no manifest 2.0 in client/app (404 Not Found): check the "
                        + "repository and tag of " + registry.host() + "/client/app:2.0");
    }

    @Test
    void bearerTokenLoginWithCredentialsAndRedirectedBlobsWithoutThem() throws Exception {
        try (AuthenticatingRegistryProxy proxy = new AuthenticatingRegistryProxy(registry, AuthenticatingRegistryProxy.Mode.BEARER, "ci", "s3cret")) {
            ImageReference ref = ImageReference.parse(proxy.host() + "/client/app:1.0");
            RegistryClient client = new RegistryClient(RegistryAuth.basic("ci", "s3cret"));
            assertThat(client.manifestDigest(ref)).isEqualTo(digest);
            ResolvedImage r = client.resolve(ref, null);
            try (VerifyingInputStream in = r.openLayer(0)) {
                in.transferTo(OutputStream.nullOutputStream());
                assertThat(in.verified()).isTrue();
            }
            assertThat(proxy.seen).contains("registry: Bearer " + AuthenticatingRegistryProxy.TOKEN)
                    .anyMatch(s -> s.startsWith("token: Basic ") && s.contains("scope=repository%3Aclient%2Fapp%3Apull"))
                    .contains("storage: null")
                    .noneMatch(s -> s.startsWith("storage: Bearer") || s.startsWith("storage: Basic"));
            assertThat(proxy.seen.stream().filter(s -> s.startsWith("token:")).count()).as("the token is cached").isEqualTo(1);

            assertThatThrownBy(() -> new RegistryClient(RegistryAuth.basic("ci", "wrong")).manifestDigest(ref))
                    .isInstanceOf(RegistryLoginRequiredException.class)
                    .hasMessageStartingWith("The token service of " + proxy.host() + " (http://" + proxy.host() + "/token) answered 401")
                    .hasMessageEndingWith("check the registry username and password");
        }
    }

    @Test
    void basicChallengeLoginAndAClearErrorWithoutCredentials() throws Exception {
        try (AuthenticatingRegistryProxy proxy = new AuthenticatingRegistryProxy(registry, AuthenticatingRegistryProxy.Mode.BASIC, "ci", "pw")) {
            ImageReference ref = ImageReference.parse(proxy.host() + "/client/app:1.0");
            assertThat(new RegistryClient(RegistryAuth.basic("ci", "pw")).manifestDigest(ref)).isEqualTo(digest);
            assertThatThrownBy(() -> new RegistryClient(RegistryAuth.anonymous()).manifestDigest(ref))
                    .isInstanceOf(RegistryLoginRequiredException.class)
                    .hasMessage("The registry " + proxy.host() + " needs a login for client/app (401 Unauthorized, basic challenge): "
                            + "this registry needs a username and password");
        }
    }

    @Test
    void reachabilityIsAnyHttpAnswerAndSilenceIsAClearError() throws Exception {
        try (AuthenticatingRegistryProxy proxy = new AuthenticatingRegistryProxy(registry, AuthenticatingRegistryProxy.Mode.BASIC, "ci", "pw")) {
            // 401 on /v2/ is an answer: the registry is there, it only wants a login.
            new RegistryClient(RegistryAuth.anonymous()).checkReachable(ImageReference.parse(proxy.host() + "/client/app:1.0"));
        }
        int closed = FreePorts.pick();
        assertThatThrownBy(() -> new RegistryClient(RegistryAuth.anonymous()).checkReachable(ImageReference.parse("127.0.0.1:" + closed + "/a/b")))
                .isInstanceOf(EngineException.class).isNotInstanceOf(RegistryLoginRequiredException.class)
                .hasMessageStartingWith("Cannot reach the registry 127.0.0.1:" + closed + " at http://127.0.0.1:" + closed + " (");
    }

    @Test
    void credentialsNeverShowInToString() {
        assertThat(RegistryAuth.basic("ci", "s3cret").toString()).doesNotContain("s3cret").contains("password=****");
    }

    @Test
    void parsesChallengesWithCommasInQuotedValues() {
        WwwAuthenticate c = WwwAuthenticate.parse("Bearer realm=\"https://auth.example/token\",service=\"reg\",scope=\"repository:a/b:pull,push\"");
        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.params()).containsEntry("scope", "repository:a/b:pull,push").containsEntry("realm", "https://auth.example/token");
    }

    @Test
    void speaksHttpOnlyToLoopbackRegistries() {
        assertThat(RegistryClient.base(ImageReference.parse("127.0.0.1:5000/a:1"))).hasToString("http://127.0.0.1:5000/");
        assertThat(RegistryClient.base(ImageReference.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/a:1")))
                .hasToString("https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/");
        assertThat(RegistryClient.base(ImageReference.parse("busybox"))).hasToString("https://registry-1.docker.io/");
    }
}
