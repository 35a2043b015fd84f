package io.jenkins.plugins.kedroemrs.core.kedro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KedroProjectTest {
    @TempDir
    Path dir;

    private static final String PYPROJECT = """
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "shop"
            dynamic = ["version"]

            [tool.kedro]
            package_name = "shop"
            project_name = "Shop Analytics"
            kedro_init_version = "0.19.14"
            """;

    private Path layout(String pyproject) throws IOException {
        Files.writeString(dir.resolve("pyproject.toml"), pyproject);
        Files.createDirectories(dir.resolve("src/shop"));
        Files.writeString(dir.resolve("src/shop/__main__.py"), "def main(*a, **k): pass\n");
        return dir;
    }

    @Test
    void readsToolKedroAndTheSrcLayout() throws IOException {
        KedroProject p = KedroProject.load(layout(PYPROJECT));
        assertThat(p.packageName()).isEqualTo("shop");
        assertThat(p.projectName()).isEqualTo("Shop Analytics");
        assertThat(p.kedroInitVersion()).isEqualTo("0.19.14");
        assertThat(p.sourceDir()).isEqualTo(dir.toAbsolutePath().resolve("src"));
        assertThat(p.buildDir()).isEqualTo(dir.toAbsolutePath());
        assertThat(p.packageDir()).isEqualTo(dir.toAbsolutePath().resolve("src/shop"));
    }

    @Test
    void honoursSourceDirAndOldLayoutsWithSetupPyUnderSrc() throws IOException {
        Files.writeString(dir.resolve("pyproject.toml"), "[tool.kedro]\npackage_name = \"shop\"\nsource_dir = \"code\"\n");
        Files.createDirectories(dir.resolve("code/shop"));
        Files.writeString(dir.resolve("code/shop/__main__.py"), "");
        Files.writeString(dir.resolve("code/setup.py"), "from setuptools import setup\nsetup()\n");
        KedroProject p = KedroProject.load(dir);
        assertThat(p.buildDir()).isEqualTo(dir.toAbsolutePath().resolve("code"));
        assertThat(p.projectName()).isEqualTo("shop");
        assertThat(p.kedroInitVersion()).isNull();
    }

    @Test
    void aFolderWithoutPyprojectIsNotAKedroProject() {
        assertThatThrownBy(() -> KedroProject.load(dir))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("project-dir"))
                .hasMessageContaining("is not a Kedro project: it has no pyproject.toml")
                .hasMessageContaining("kedro new");
    }

    @Test
    void aPyprojectWithoutToolKedroIsNotAKedroProject() throws IOException {
        Files.writeString(dir.resolve("pyproject.toml"), "[project]\nname = \"x\"\n");
        assertThatThrownBy(() -> KedroProject.load(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no [tool.kedro] table");
    }

    @Test
    void aMissingPackageNameIsNamed() throws IOException {
        layout(PYPROJECT.replace("package_name = \"shop\"\n", ""));
        assertThatThrownBy(() -> KedroProject.load(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no package_name in [tool.kedro]")
                .hasMessageContaining("Add package_name = ");
    }

    @Test
    void aPackageNameThatIsNoPythonIdentifierIsRefused() throws IOException {
        layout(PYPROJECT.replace("package_name = \"shop\"", "package_name = \"shop-analytics\""));
        assertThatThrownBy(() -> KedroProject.load(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("\"shop-analytics\"").hasMessageContaining("is not a Python package name");
    }

    @Test
    void aPackageWithoutMainCannotBeRunByTheEntrypoint() throws IOException {
        layout(PYPROJECT);
        Files.delete(dir.resolve("src/shop/__main__.py"));
        assertThatThrownBy(() -> KedroProject.load(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no __main__.py").hasMessageContaining("from shop.__main__ import main");
    }

    @Test
    void aPackageFolderThatDoesNotExistIsNamed() throws IOException {
        layout(PYPROJECT.replace("package_name = \"shop\"", "package_name = \"other\""));
        assertThatThrownBy(() -> KedroProject.load(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("src/other does not exist");
    }

    @Test
    void brokenTomlIsReportedWithItsCause() throws IOException {
        Files.writeString(dir.resolve("pyproject.toml"), "[tool.kedro\npackage_name = 1\n");
        assertThatThrownBy(() -> KedroProject.load(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not valid TOML");
    }

    @Test
    void aMissingFolderIsNamed() {
        assertThatThrownBy(() -> KedroProject.load(dir.resolve("nope"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a folder");
    }
}
