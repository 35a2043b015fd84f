package io.jenkins.plugins.kedroemrs.core.kedro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageOptionsTest {
    final Path ws = Path.of("/work/ws");

    static PackageOptions defaults() {
        return new PackageOptions(null, null, null, null, null, false, null, 0);
    }

    @Test
    void blankOptionsGiveTheEngineDefaultsInTheWorkspace() {
        PackageRequest r = defaults().toRequest(ws);
        assertThat(r.projectDir()).isEqualTo(ws);
        assertThat(r.python()).isEqualTo("python3");
        assertThat(r.outDir()).isNull();
        assertThat(r.confDir()).isEqualTo("conf");
        assertThat(r.confExcludes()).containsExactly("local");
        assertThat(r.wheelBuilder()).isEqualTo(WheelBuilder.AUTO);
        assertThat(r.timeout()).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void pathsAreRelativeToTheWorkspaceAndNamesStayNames() {
        PackageRequest r = new PackageOptions("projects/spaceflights", ".venv/bin/python", "out", " settings ",
                "base/secrets*.yml\n, **/*.key ,", false, "UV", 5).toRequest(ws);
        assertThat(r.projectDir()).isEqualTo(ws.resolve("projects/spaceflights"));
        assertThat(r.python()).isEqualTo(ws.resolve(".venv/bin/python").toString());
        assertThat(r.outDir()).isEqualTo(ws.resolve("out"));
        assertThat(r.confDir()).isEqualTo("settings");
        assertThat(r.confExcludes()).containsExactly("local", "base/secrets*.yml", "**/*.key");
        assertThat(r.wheelBuilder()).isEqualTo(WheelBuilder.UV);
        assertThat(r.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(new PackageOptions(".", "python3.11", null, null, null, false, null, 0).toRequest(ws).python())
                .isEqualTo("python3.11");
    }

    @Test
    void includeConfLocalDropsOnlyTheDefaultExclusion() {
        assertThat(new PackageOptions(null, null, null, null, "local,base/x.yml", true, null, 0).excludes())
                .containsExactly("local", "base/x.yml");
        assertThat(new PackageOptions(null, null, null, null, "", true, null, 0).excludes()).isEmpty();
    }

    @Test
    void everyBadFieldIsNamedBeforeAnythingRuns() {
        assertThatThrownBy(() -> new PackageOptions(null, null, null, "../conf", null, false, null, 0).toRequest(ws))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("conf-dir"));
        assertThatThrownBy(() -> new PackageOptions(null, null, null, null, "/etc/passwd", false, null, 0).toRequest(ws))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("conf-exclude"));
        assertThatThrownBy(() -> new PackageOptions(null, null, null, null, null, false, "poetry", 0).toRequest(ws))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("wheel-builder"));
        assertThatThrownBy(() -> new PackageOptions(null, null, null, null, null, false, null, -1).toRequest(ws))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("timeout"));
        assertThatThrownBy(() -> new PackageOptions("a\0b", null, null, null, null, false, null, 0).toRequest(ws))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("project-dir"));
    }

    @Test
    void singleFieldChecksAgreeWithTheRun() {
        PackageOptions.checkConfExcludes("base/secrets*.yml\n**/*.pem");
        PackageOptions.checkWheelBuilder("kedro");
        PackageOptions.checkConfDir("conf");
        assertThat(PackageOptions.checkTimeoutMinutes(0)).isEqualTo(PackageOptions.DEFAULT_TIMEOUT_MINUTES);
        assertThatThrownBy(() -> PackageOptions.checkTimeoutMinutes(PackageOptions.MAX_TIMEOUT_MINUTES + 1))
                .hasMessageContaining("between 1 and");
        assertThatThrownBy(() -> PackageOptions.checkConfExcludes("ok, ../up")).hasMessageContaining("not a path inside conf/");
        assertThatThrownBy(() -> PackageOptions.checkConfDir("/abs")).hasMessageContaining("not a folder inside the project");
    }

    @Test
    void expandReplacesVariablesInEveryTextField() {
        PackageOptions o = new PackageOptions("${P}", "${PY}", "${OUT}", "${CONF}", "${EX}", true, "${WB}", 7)
                .expand(s -> s.replace("${P}", "proj").replace("${PY}", "py3").replace("${OUT}", "out").replace("${CONF}", "cfg")
                        .replace("${EX}", "base/s*.yml").replace("${WB}", "build"));
        assertThat(o).isEqualTo(new PackageOptions("proj", "py3", "out", "cfg", "base/s*.yml", true, "build", 7));
    }

    @Test
    void theSummaryNamesTheProjectAndWhatIsNotDefault() {
        assertThat(defaults().summary()).isEqualTo(".");
        assertThat(new PackageOptions("spaceflights", ".venv/bin/python", null, null, null, true, "uv", 0).summary())
                .isEqualTo("spaceflights (uv, .venv/bin/python, with conf/local)");
        assertThat(PackageOptions.splitPatterns(" a ,\n\nb\r\n")).isEqualTo(List.of("a", "b"));
        assertThat(PackageOptions.splitPatterns("base/{secrets,keys}.yml, **/*.pem")).containsExactly("base/{secrets,keys}.yml", "**/*.pem");
        PackageOptions.checkConfExcludes("base/{secrets,keys}.yml");
    }
}
