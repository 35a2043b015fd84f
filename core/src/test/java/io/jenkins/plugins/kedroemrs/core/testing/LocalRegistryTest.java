package io.jenkins.plugins.kedroemrs.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The registry peer itself answers the OCI distribution API's version check. */
class LocalRegistryTest {
    @Test
    void answersTheDistributionApi() throws Exception {
        LocalRegistry registry = LocalRegistry.shared();
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
    }
}
