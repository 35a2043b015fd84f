package io.jenkins.plugins.kedroemrs.core.kedro;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KedroVersionTest {
    @Test
    void pipelineOptionFollowsTheKedroVersion() {
        assertThat(KedroVersion.pipelineOption("0.18.14")).isEqualTo("--pipeline");
        assertThat(KedroVersion.pipelineOption("0.19.9")).isEqualTo("--pipeline");
        assertThat(KedroVersion.pipelineOption("1.0.0")).isEqualTo("--pipelines");
        assertThat(KedroVersion.pipelineOption("1.7.0rc1")).isEqualTo("--pipelines");
        assertThat(KedroVersion.pipelineOption(null)).isEqualTo("--pipelines");
        assertThat(KedroVersion.major("garbage")).isEqualTo(-1);
    }
}
