package io.jenkins.plugins.kedroemrs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** `kedro-emrs --help`: each command listed with a summary that stands alone (not the first line of a long description). */
class HelpTest {
    @Test
    void everyCommandHasAOneLineSummaryThatEndsASentence() {
        CliRun help = CliRun.of("--help");
        assertThat(help.exitCode()).isZero();
        List<String> commands = help.stdout().lines().dropWhile(l -> !l.strip().equals("Commands:")).skip(1)
                .filter(l -> l.startsWith("  ") && !l.strip().isEmpty()).toList();
        assertThat(commands).extracting(l -> l.strip().split("\\s+", 2)[0])
                .containsExactly("package", "build-image", "validate-image", "restart-app", "submit", "deploy", "dashboard", "runs",
                        "preflight", "help");
        for (String line : commands.subList(0, 9)) {
            assertThat(line.strip()).as(line).matches("[a-z-]+\\s+[A-Z].*\\.$");
        }
        assertThat(commands).anyMatch(l -> l.strip().matches("deploy\\s+All of it: package, build, validate, restart, submit, wait\\."));
    }
}
