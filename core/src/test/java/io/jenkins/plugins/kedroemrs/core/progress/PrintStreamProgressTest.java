package io.jenkins.plugins.kedroemrs.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrintStreamProgressTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String log() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyKindOfEventIsOneLineWithTheStepPrefix() {
        PrintStreamProgress p = new PrintStreamProgress(out, "kedroPackage", true);
        p.phase("Building the wheel");
        p.info("Project spaceflights");
        p.warn("conf/base/credentials.yml looks like credentials");
        p.output("uv build", "Successfully built dist/x.whl");
        p.link("Job run", "https://console.aws.amazon.com/emr/home#/serverless");
        assertThat(log().split("\\R")).containsExactly(
                "[kedroPackage] ==> Building the wheel",
                "[kedroPackage] Project spaceflights",
                "[kedroPackage] WARNING: conf/base/credentials.yml looks like credentials",
                "[kedroPackage]   | Successfully built dist/x.whl",
                "[kedroPackage] Job run: https://console.aws.amazon.com/emr/home#/serverless");
    }

    @Test
    void toolOutputCanBeHidden() {
        PrintStreamProgress p = new PrintStreamProgress(out, null, false);
        p.output("uv build", "noise");
        p.info("kept");
        assertThat(log()).isEqualTo("kept" + System.lineSeparator());
    }

    @Test
    void onlyWebUrlsAreRenderedAsLinks() {
        PrintStreamProgress p = new PrintStreamProgress(out, "s", true) {
            @Override
            protected String renderLink(String label, String url) {
                return "<a>" + url + "</a>";
            }
        };
        p.link("Logs", "https://s3.console.aws.amazon.com/s3/buckets/b?prefix=x");
        p.link("Script", "javascript:alert(1)");
        p.link("File", "/tmp/x");
        assertThat(log().split("\\R")).containsExactly(
                "[s] Logs: <a>https://s3.console.aws.amazon.com/s3/buckets/b?prefix=x</a>",
                "[s] Script: javascript:alert(1)",
                "[s] File: /tmp/x");
        assertThat(PrintStreamProgress.isWebUrl(null)).isFalse();
        assertThat(PrintStreamProgress.isWebUrl("http://127.0.0.1:5000/x")).isTrue();
    }
}
