package io.jenkins.plugins.kedroemrs.core.kedro;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A Kedro project as its {@code pyproject.toml} describes it ({@code [tool.kedro]}: package_name, project_name,
 * kedro_init_version, source_dir) with the {@code src/<package>} layout that {@code kedro new} creates.
 *
 * @param dir              the project root (holds pyproject.toml)
 * @param packageName      the importable Python package, e.g. {@code spaceflights}
 * @param projectName      the human name, e.g. {@code spaceflights}; the package name when absent
 * @param kedroInitVersion the Kedro version the project was created with, or {@code null}
 * @param sourceDir        the folder that holds the package ({@code src} by default)
 * @param buildDir         where the wheel's build metadata lives: the root, or {@code src} for pre-0.19 layouts
 */
public record KedroProject(Path dir, String packageName, String projectName, String kedroInitVersion, Path sourceDir,
        Path buildDir) {

    static final String FIELD = "project-dir";
    private static final Pattern PYTHON_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final TomlMapper TOML = new TomlMapper();

    /** Reads and checks the project in {@code dir}; every problem is an {@link InvalidInputException} naming the fix. */
    public static KedroProject load(Path dir) {
        if (dir == null) {
            throw new InvalidInputException(FIELD, "no project folder given", "Pass the folder that holds pyproject.toml");
        }
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new InvalidInputException(FIELD, root + " is not a folder", "Pass the Kedro project's root folder");
        }
        Path pyproject = root.resolve("pyproject.toml");
        if (!Files.isRegularFile(pyproject)) {
            throw new InvalidInputException(FIELD, root + " is not a Kedro project: it has no pyproject.toml",
                    "Pass the folder created by `kedro new` (the one with pyproject.toml and a [tool.kedro] table)");
        }
        JsonNode toml;
        try {
            toml = TOML.readTree(pyproject.toFile());
        } catch (JacksonException e) {
            throw new InvalidInputException(FIELD, pyproject + " is not valid TOML (" + e.getOriginalMessage() + ")",
                    "Fix the syntax error; `python -c \"import tomllib; tomllib.load(open('pyproject.toml','rb'))\"` shows it too");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + pyproject, e);
        }
        JsonNode kedro = toml.path("tool").path("kedro");
        if (!kedro.isObject()) {
            throw new InvalidInputException(FIELD, root + " is not a Kedro project: pyproject.toml has no [tool.kedro] table",
                    "Pass the folder created by `kedro new`, or add [tool.kedro] with package_name, project_name and kedro_init_version");
        }
        String packageName = text(kedro, "package_name");
        if (packageName == null) {
            throw new InvalidInputException(FIELD, pyproject + " has no package_name in [tool.kedro]",
                    "Add package_name = \"<your_python_package>\" (the folder name under src/) to [tool.kedro]");
        }
        if (!PYTHON_IDENTIFIER.matcher(packageName).matches()) {
            throw new InvalidInputException(FIELD, "package_name \"" + packageName + "\" in " + pyproject
                    + " is not a Python package name", "Use letters, digits and underscores only, e.g. my_project");
        }
        String projectName = text(kedro, "project_name");
        String sourceDirName = text(kedro, "source_dir");
        Path sourceDir = root.resolve(sourceDirName == null ? "src" : sourceDirName).normalize();
        Path packageDir = sourceDir.resolve(packageName);
        if (!Files.isDirectory(packageDir)) {
            throw new InvalidInputException(FIELD, "the package folder " + packageDir + " does not exist",
                    "package_name in [tool.kedro] must name the package folder under " + root.relativize(sourceDir) + "/");
        }
        if (!Files.isRegularFile(packageDir.resolve("__main__.py"))) {
            throw new InvalidInputException(FIELD, packageDir + " has no __main__.py",
                    "EMR Serverless runs the project through `from " + packageName
                            + ".__main__ import main`; restore the __main__.py that `kedro new` creates");
        }
        boolean rootBuilds = toml.has("build-system") || toml.has("project") || Files.isRegularFile(root.resolve("setup.py"));
        Path buildDir = rootBuilds ? root : sourceDir;
        if (!rootBuilds && !Files.isRegularFile(sourceDir.resolve("setup.py"))
                && !Files.isRegularFile(sourceDir.resolve("pyproject.toml"))) {
            throw new InvalidInputException(FIELD, "nothing in " + root + " says how to build the wheel",
                    "Add [build-system] and [project] to pyproject.toml as `kedro new` does");
        }
        return new KedroProject(root, packageName, projectName == null ? packageName : projectName,
                text(kedro, "kedro_init_version"), sourceDir, buildDir);
    }

    /** The folder of the Python package, e.g. {@code src/spaceflights}. */
    public Path packageDir() {
        return sourceDir.resolve(packageName);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isValueNode() || v.asText().isBlank() ? null : v.asText().trim();
    }
}
