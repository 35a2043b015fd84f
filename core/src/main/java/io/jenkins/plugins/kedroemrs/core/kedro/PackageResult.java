package io.jenkins.plugins.kedroemrs.core.kedro;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code kedroPackage} produced: the wheel, the conf tarball and the EMR entry point, with sizes and SHA-256,
 * and what later steps need to know about the project. Serialises to JSON ({@link #FILE_NAME} next to the artifacts),
 * which {@code build-image --package-result} and {@code submit} read back.
 *
 * @param projectName        [tool.kedro] project_name
 * @param packageName        [tool.kedro] package_name, the importable package
 * @param distributionName   the wheel's Name
 * @param packageVersion     the wheel's Version
 * @param kedroVersion       the Kedro version the job will run with (see kedroVersionSource)
 * @param kedroVersionSource where kedroVersion came from: {@code interpreter} or {@code pyproject}
 * @param pythonVersion      the version of the interpreter that built the wheel
 * @param wheelBuilder       the builder that ran: uv, build or kedro
 * @param wheel              the wheel
 * @param confArchive        {@code conf-<package>.tar.gz}
 * @param entrypoint         the entry point script for spark-submit
 * @param confExcluded       paths under conf/ left out of the tarball
 * @param durationMillis     how long packaging took
 */
public record PackageResult(String projectName, String packageName, String distributionName, String packageVersion,
        String kedroVersion, String kedroVersionSource, String pythonVersion, String wheelBuilder, Artifact wheel,
        Artifact confArchive, Artifact entrypoint, List<String> confExcluded, long durationMillis) {

    public static final String FILE_NAME = "kedro-emrs-package.json";
    static final String FIELD = "package-result";

    /** The {@code kedro run} option that selects pipelines for this project's Kedro version. */
    public String pipelineOption() {
        return KedroVersion.pipelineOption(kedroVersion);
    }

    public void write(Path file) throws IOException {
        Json.MAPPER.writeValue(file.toFile(), this);
    }

    /** Reads a result written by {@link #write}; a directory means the {@link #FILE_NAME} inside it. */
    public static PackageResult read(Path fileOrDir) throws IOException {
        Path file = file(fileOrDir);
        PackageResult r = parse(Files.readString(file), file.toString());
        for (Artifact a : new Artifact[] {r.wheel(), r.confArchive(), r.entrypoint()}) {
            if (a == null || !Files.isRegularFile(a.file())) {
                throw new InvalidInputException(FIELD, file + " names " + (a == null ? "an artifact" : a.path())
                        + " which no longer exists", "Package the project again");
            }
        }
        return r;
    }

    /** The result file a path names: itself, or the {@link #FILE_NAME} inside a directory; it must exist. */
    public static Path file(Path fileOrDir) {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(FILE_NAME) : fileOrDir;
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(FIELD, "no packaging result at " + file,
                    "Run `kedro-emrs package` first, or pass the " + FILE_NAME + " it wrote");
        }
        return file;
    }

    /**
     * A result from its JSON, read from {@code source} (named in errors). Its artifacts are not looked at: they may
     * live on another machine (a Jenkins agent) or be gone by now when only the names are needed.
     */
    public static PackageResult parse(String json, String source) {
        PackageResult r;
        try {
            r = Json.MAPPER.readValue(json, PackageResult.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidInputException(FIELD, source + " is not a packaging result (" + e.getOriginalMessage() + ")",
                    "Pass the " + FILE_NAME + " written by `kedro-emrs package`");
        }
        return checked(r, source);
    }

    /** A result from the map {@link #toMap()} made (what the {@code kedroPackage} step returned to a Pipeline script). */
    public static PackageResult fromMap(Map<?, ?> map) {
        PackageResult r;
        try {
            r = Json.MAPPER.convertValue(map, PackageResult.class);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(FIELD, "the map is not a packaging result (" + e.getMessage() + ")",
                    "Pass what kedroPackage returned, or the path of its " + FILE_NAME);
        }
        return checked(r, "the map");
    }

    private static PackageResult checked(PackageResult r, String source) {
        if (r == null || r.distributionName() == null) {
            throw new InvalidInputException(FIELD, source + " names no distribution",
                    "Pass what kedroPackage (kedro-emrs package) wrote, or package the project again");
        }
        return r;
    }

    /**
     * The result as environment variables for later build steps (a freestyle job's shell step, say):
     * {@code KEDRO_WHEEL}, {@code KEDRO_CONF_ARCHIVE}, {@code KEDRO_ENTRYPOINT} (absolute paths), their
     * {@code _SHA256}, {@code KEDRO_PACKAGE_RESULT} (the {@link #FILE_NAME} next to them, which later steps read),
     * {@code KEDRO_PACKAGE_NAME}, {@code KEDRO_PACKAGE_VERSION} and {@code KEDRO_VERSION} (when known).
     */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("KEDRO_WHEEL", wheel.path());
        env.put("KEDRO_WHEEL_SHA256", wheel.sha256());
        env.put("KEDRO_CONF_ARCHIVE", confArchive.path());
        env.put("KEDRO_CONF_ARCHIVE_SHA256", confArchive.sha256());
        env.put("KEDRO_ENTRYPOINT", entrypoint.path());
        env.put("KEDRO_ENTRYPOINT_SHA256", entrypoint.sha256());
        env.put("KEDRO_PACKAGE_RESULT", wheel.file().resolveSibling(FILE_NAME).toString());
        env.put("KEDRO_PACKAGE_NAME", packageName);
        env.put("KEDRO_PACKAGE_VERSION", packageVersion);
        if (kedroVersion != null) {
            env.put("KEDRO_VERSION", kedroVersion);
        }
        return env;
    }

    /** The result as plain maps and lists (for a Jenkins Pipeline script, which should not see engine classes). */
    public Map<String, Object> toMap() {
        return Json.MAPPER.convertValue(this, new TypeReference<Map<String, Object>>() { });
    }
}
