package io.jenkins.plugins.kedroemrs.core.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The release profiles are data: every file listed, every listed label loadable, every file set used. */
class ReleaseProfilesTest {
    static final Path RESOURCES = Path.of("src/main/resources/io/jenkins/plugins/kedroemrs/core/validate");

    @Test
    void knowsEmr69ThroughTheCurrent7xLabels() {
        List<String> known = ReleaseProfiles.known();
        assertThat(known).startsWith("emr-6.9.0", "emr-6.10.0", "emr-6.11.0", "emr-6.12.0", "emr-6.13.0", "emr-6.14.0", "emr-6.15.0", "emr-7.0.0")
                .endsWith("emr-7.14.0").hasSize(22).doesNotHaveDuplicates();
        assertThat(ReleaseProfiles.latest()).isEqualTo("emr-7.14.0");
    }

    @Test
    void everyProfileFileIsListedAndLoads() throws Exception {
        try (Stream<Path> files = Files.list(RESOURCES.resolve("profiles"))) {
            List<String> labels = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
            assertThat(labels).containsExactlyInAnyOrderElementsOf(ReleaseProfiles.known());
        }
        for (String label : ReleaseProfiles.known()) {
            ReleaseProfile p = ReleaseProfiles.load(label);
            assertThat(p.release()).isEqualTo(label);
            assertThat(p.user()).isEqualTo("hadoop:hadoop");
            assertThat(p.workingDir()).isEqualTo("/home/hadoop");
            assertThat(p.entrypoint()).isEqualTo("/usr/bin/entrypoint.sh");
            assertThat(p.environment()).containsExactly("JAVA_HOME", "SPARK_HOME");
            assertThat(p.fileSets()).extracting(FileSet::check)
                    .containsExactly("bin-files", "hadoop-files", "hadoop-jars", "java-bin", "spark-bin", "spark-jars");
            p.fileSets().forEach(f -> assertThat(f.prefixes()).as(f.name()).isNotEmpty().doesNotHaveDuplicates());
        }
    }

    @Test
    void releasesTheImageCliListsUseItsListsAndLaterOnesTheCoreSubsets() {
        assertThat(ReleaseProfiles.load("emr-6.9.0").fileSets()).extracting(FileSet::name)
                .containsExactly("bin-files", "hadoop-files", "hadoop-jars-6.9", "java-bin", "spark-bin", "spark-jars-6.9");
        assertThat(ReleaseProfiles.load("emr-6.12.0").fileSets()).extracting(FileSet::name).contains("hadoop-jars-6.10", "spark-jars-6.12");
        assertThat(ReleaseProfiles.load("emr-7.5.0").fileSets()).extracting(FileSet::name)
                .containsExactly("bin-files", "hadoop-files-core", "hadoop-jars-core", "java-bin", "spark-bin", "spark-jars-core");
        FileSet sparkJars = ReleaseProfiles.load("emr-6.10.0").fileSets().get(5);
        assertThat(sparkJars.location()).isEqualTo("$SPARK_HOME/jars");
        assertThat(sparkJars.directory("/usr/lib/spark/")).isEqualTo("/usr/lib/spark/jars");
        assertThat(sparkJars.prefixes()).hasSize(245).contains("spark-core", "py4j", "emr-spark-goodies");
    }

    @Test
    void anUnknownLabelListsTheKnownOnes() {
        assertThatThrownBy(() -> ReleaseProfiles.load("emr-6.8.0"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.getField()).isEqualTo("release-label");
                    assertThat(e.getFix()).startsWith("Use one of emr-6.9.0, emr-6.10.0,").endsWith("emr-7.13.0, emr-7.14.0");
                });
    }
}
