package io.jenkins.plugins.kedroemrs.core.kedro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a packaging result back: from its file, from its JSON text (read on another machine) and from its map. */
class PackageResultTest {
    @TempDir
    Path dist;

    @Test
    void theMapAStepReturnedComesBackAsTheResult() throws Exception {
        PackageResult written = SamplePackageResult.write(dist, "1.7.0");
        assertThat(PackageResult.fromMap(written.toMap())).isEqualTo(written);
        assertThat(PackageResult.read(dist)).isEqualTo(written);
        assertThat(PackageResult.parse(Files.readString(dist.resolve(PackageResult.FILE_NAME)), "agent:dist")).isEqualTo(written);
    }

    @Test
    void parsingDoesNotLookForTheArtifacts() throws Exception {
        PackageResult written = SamplePackageResult.write(dist, "1.7.0");
        String json = Files.readString(dist.resolve(PackageResult.FILE_NAME));
        Files.delete(written.wheel().file());
        assertThat(PackageResult.parse(json, "agent:dist").distributionName()).isEqualTo(written.distributionName());
        assertThatThrownBy(() -> PackageResult.read(dist)).hasMessageContaining("which no longer exists");
    }

    @Test
    void somethingElseIsBadInputNamingTheField() {
        assertThatThrownBy(() -> PackageResult.parse("[1, 2]", "agent:x.json"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("package-result"))
                .hasMessageContaining("agent:x.json is not a packaging result");
        assertThatThrownBy(() -> PackageResult.fromMap(Map.of("projectName", "x")))
                .hasMessageContaining("the map names no distribution");
        assertThatThrownBy(() -> PackageResult.fromMap(Map.of("wheel", "not an artifact")))
                .hasMessageContaining("the map is not a packaging result");
        assertThatThrownBy(() -> PackageResult.file(dist.resolve("nothing")))
                .hasMessageContaining("no packaging result at");
    }
}
