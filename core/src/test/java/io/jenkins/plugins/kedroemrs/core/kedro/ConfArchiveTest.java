package io.jenkins.plugins.kedroemrs.core.kedro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfArchiveTest {
    @TempDir
    Path dir;
    Path conf;

    @BeforeEach
    void conf() throws IOException {
        conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(conf.resolve("base"));
        Files.createDirectories(conf.resolve("emr"));
        Files.createDirectories(conf.resolve("local/nested"));
        Files.writeString(conf.resolve("base/catalog.yml"), "a: 1\n");
        Files.writeString(conf.resolve("base/parameters.yml"), "b: 2\n");
        Files.writeString(conf.resolve("emr/parameters.yml"), "b: 3\n");
        Files.writeString(conf.resolve("local/credentials.yml"), "secret: x\n");
        // kedro package only leaves out local/*.yml: these two would leak with it.
        Files.writeString(conf.resolve("local/credentials.yaml"), "secret: y\n");
        Files.writeString(conf.resolve("local/nested/gcp.json"), "{\"key\": \"z\"}\n");
    }

    static Map<String, String> read(Path tarGz) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream f = Files.newInputStream(tarGz);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(f))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.put(e.getName(), e.isDirectory() ? "<dir>" : new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private Path write(List<String> excludes) throws IOException {
        Path target = dir.resolve("conf.tar.gz");
        ConfArchive.write(new ConfArchive(conf, excludes).plan(), target);
        return target;
    }

    @Test
    void leavesTheWholeLocalFolderOutByDefault() throws IOException {
        ConfArchive.Plan plan = new ConfArchive(conf, ConfArchive.DEFAULT_EXCLUDES).plan();
        assertThat(plan.excluded()).containsExactly("local/");
        Map<String, String> entries = read(write(ConfArchive.DEFAULT_EXCLUDES));
        assertThat(entries.keySet()).containsExactly("conf/", "conf/base/", "conf/base/catalog.yml",
                "conf/base/parameters.yml", "conf/emr/", "conf/emr/parameters.yml");
        assertThat(entries).containsEntry("conf/emr/parameters.yml", "b: 3\n");
        assertThat(String.join("", entries.values())).doesNotContain("secret");
    }

    @Test
    void takesExtraGlobs() throws IOException {
        Map<String, String> entries = read(write(List.of("local", "**/parameters*")));
        assertThat(entries.keySet()).containsExactly("conf/", "conf/base/", "conf/base/catalog.yml", "conf/emr/");
    }

    @Test
    void isReproducibleAndOwnedByRoot() throws IOException, InterruptedException {
        String first = Hashing.sha256(write(ConfArchive.DEFAULT_EXCLUDES));
        Files.setLastModifiedTime(conf.resolve("base/catalog.yml"), java.nio.file.attribute.FileTime.fromMillis(0));
        String second = Hashing.sha256(write(ConfArchive.DEFAULT_EXCLUDES));
        assertThat(second).isEqualTo(first);
        try (InputStream f = Files.newInputStream(dir.resolve("conf.tar.gz"));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(f))) {
            TarArchiveEntry e;
            List<String> owners = new ArrayList<>();
            while ((e = tar.getNextEntry()) != null) {
                owners.add(e.getLongUserId() + ":" + e.getLongGroupId() + ":" + Integer.toOctalString(e.getMode() & 0777));
            }
            assertThat(owners).allMatch(o -> o.equals("0:0:755") || o.equals("0:0:644"));
        }
    }

    @Test
    void flagsFilesThatLookLikeCredentialsOutsideLocal() throws IOException {
        Files.writeString(conf.resolve("base/credentials.yml"), "oops: 1\n");
        assertThat(new ConfArchive(conf, ConfArchive.DEFAULT_EXCLUDES).plan().credentialsLike())
                .containsExactly("base/credentials.yml");
    }

    @Test
    void refusesASymbolicLinkOutOfConf() throws IOException {
        Path outside = Files.writeString(dir.resolve("aws-credentials"), "k");
        Files.createSymbolicLink(conf.resolve("base/aws.yml"), outside);
        assertThatThrownBy(() -> new ConfArchive(conf, ConfArchive.DEFAULT_EXCLUDES).plan())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("conf-exclude"))
                .hasMessageContaining("conf/base/aws.yml is a symbolic link to").hasMessageContaining("outside the conf folder");
    }

    @Test
    void followsASymbolicLinkInsideConf() throws IOException {
        Files.createSymbolicLink(conf.resolve("emr/catalog.yml"), conf.resolve("base/catalog.yml"));
        assertThat(read(write(ConfArchive.DEFAULT_EXCLUDES))).containsEntry("conf/emr/catalog.yml", "a: 1\n");
    }

    @Test
    void refusesPatternsOutsideConf() {
        assertThatThrownBy(() -> ConfArchive.compile(List.of("../secrets"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a path inside conf/");
        assertThatThrownBy(() -> ConfArchive.compile(List.of("/etc"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ConfArchive.compile(List.of(" "))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> ConfArchive.compile(List.of("base/{a,"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a valid glob");
    }
}
