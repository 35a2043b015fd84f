package io.jenkins.plugins.kedroemrs.core.emrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RunIdentityTest {
    @Test
    void theSameBuildAndStepGiveTheSameTokenEveryTime() {
        String id = RunIdentity.jenkins("c0ffee", "team/spaceflights#42", 1772352000000L, "17");
        assertThat(id).isEqualTo("jenkins:c0ffee:team/spaceflights#42@1772352000000:17");
        assertThat(JobSubmitter.clientToken(id)).isEqualTo(JobSubmitter.clientToken(
                RunIdentity.jenkins("c0ffee", "team/spaceflights#42", 1772352000000L, "17"))).hasSize(64);
    }

    @Test
    void anyOtherControllerBuildStartOrStepGivesAnotherToken() {
        Set<String> tokens = Set.of(
                JobSubmitter.clientToken(RunIdentity.jenkins("c0ffee", "team/spaceflights#42", 1772352000000L, "17")),
                JobSubmitter.clientToken(RunIdentity.jenkins("beef00", "team/spaceflights#42", 1772352000000L, "17")),
                JobSubmitter.clientToken(RunIdentity.jenkins("c0ffee", "team/spaceflights#43", 1772352000000L, "17")),
                JobSubmitter.clientToken(RunIdentity.jenkins("c0ffee", "team/spaceflights#42", 1772355600000L, "17")),
                JobSubmitter.clientToken(RunIdentity.jenkins("c0ffee", "team/spaceflights#42", 1772352000000L, "23")));
        assertThat(tokens).hasSize(5);
    }

    @Test
    void everyPartIsRequired() {
        assertThatThrownBy(() -> RunIdentity.jenkins("c0ffee", " ", 1L, "17")).hasMessageContaining("the build part");
        assertThatThrownBy(() -> RunIdentity.jenkins("c0ffee", "job#1", 1L, null)).isInstanceOf(NullPointerException.class);
    }
}
