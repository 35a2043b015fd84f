package io.jenkins.plugins.kedroemrs.core.image;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code emrsBuildImage} produced. Written as {@link #FILE_NAME} next to the packaging result, which
 * {@code validate-image}, {@code restart-app} and {@code submit} read.
 *
 * @param image          the immutable reference EMR Serverless should run, {@code registry/repository@sha256:…}
 *                       ({@code null} when the image was not pushed)
 * @param digest         the manifest digest, as the registry reports it ({@code null} when not pushed)
 * @param repository     {@code registry/repository}
 * @param tags           the tags built (and pushed, when {@code pushed})
 * @param pushed         whether the image was pushed
 * @param imageId        the local image id ({@code sha256:…} of the image config)
 * @param pythonPath     the custom interpreter inside the image, for {@code PYSPARK_PYTHON}
 * @param pythonVersion  its version
 * @param baseImage      what the image was built from
 * @param platform       e.g. {@code linux/amd64}
 * @param builder        docker or podman
 * @param dockerfile     {@code template} or the user's Dockerfile
 * @param contextSha256  hash of the build context (the default tag's suffix)
 * @param buildMillis    how long the build took
 * @param pushMillis     how long the pushes took
 */
public record ImageResult(String image, String digest, String repository, List<String> tags, boolean pushed, String imageId,
        String pythonPath, String pythonVersion, String baseImage, String platform, String builder, String dockerfile,
        String contextSha256, long buildMillis, long pushMillis) {

    public static final String FILE_NAME = "kedro-emrs-image.json";

    public void write(Path file) throws IOException {
        Json.MAPPER.writeValue(file.toFile(), this);
    }

    public static ImageResult read(Path file) throws IOException {
        return Json.MAPPER.readValue(file.toFile(), ImageResult.class);
    }

    /**
     * The result as environment variables for the build steps after a freestyle one: {@code EMRS_IMAGE} (the digest
     * reference EMR Serverless runs, for emrsValidateImage and emrsRestartApp), {@code EMRS_IMAGE_DIGEST},
     * {@code EMRS_IMAGE_PYTHON} (for emrsSubmit's imagePython), {@code EMRS_IMAGE_TAGS} (comma-separated),
     * {@code EMRS_IMAGE_ID}. An image that was not pushed has no {@code EMRS_IMAGE} nor digest.
     */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (image != null) {
            env.put("EMRS_IMAGE", image);
            env.put("EMRS_IMAGE_DIGEST", digest);
        }
        env.put("EMRS_IMAGE_PYTHON", pythonPath);
        env.put("EMRS_IMAGE_TAGS", String.join(",", tags));
        env.put("EMRS_IMAGE_ID", imageId);
        return env;
    }

    /** The result as plain maps and lists (for a Jenkins Pipeline script). */
    public Map<String, Object> toMap() {
        return Json.MAPPER.convertValue(this, new TypeReference<Map<String, Object>>() { });
    }
}
