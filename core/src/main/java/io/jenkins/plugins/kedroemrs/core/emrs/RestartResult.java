package io.jenkins.plugins.kedroemrs.core.emrs;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.util.List;
import java.util.Map;

/**
 * What {@code emrsRestartApp} did.
 *
 * @param applicationId       the application
 * @param name                its name
 * @param releaseLabel        its release label now
 * @param stateBefore         its state when the step began
 * @param state               its state now (STARTED, or STOPPED when asked to leave it stopped)
 * @param imageUri            the image it is configured with now, or {@code null} (the release's default image)
 * @param resolvedImageDigest the digest the service resolved the image to, or {@code null} when it reported none
 * @param stopped             whether the step stopped it
 * @param updated             whether the step changed its image or release label
 * @param cancelledJobRuns    job runs the step cancelled
 * @param consoleUrl          its page in the EMR console
 * @param durationMillis      how long the step took
 */
public record RestartResult(String applicationId, String name, String releaseLabel, String stateBefore, String state,
        String imageUri, String resolvedImageDigest, boolean stopped, boolean updated, List<String> cancelledJobRuns,
        String consoleUrl, long durationMillis) {

    /**
     * The result as environment variables for later build steps of a freestyle job: {@code EMRS_APPLICATION_ID},
     * {@code EMRS_APPLICATION_STATE} and, when there are any, {@code EMRS_IMAGE_URI} and {@code EMRS_RESOLVED_IMAGE_DIGEST}.
     */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("EMRS_APPLICATION_ID", applicationId);
        env.put("EMRS_APPLICATION_STATE", state);
        if (imageUri != null) {
            env.put("EMRS_IMAGE_URI", imageUri);
        }
        if (resolvedImageDigest != null) {
            env.put("EMRS_RESOLVED_IMAGE_DIGEST", resolvedImageDigest);
        }
        return env;
    }

    public Map<String, Object> toMap() {
        return Json.MAPPER.convertValue(this, new TypeReference<Map<String, Object>>() { });
    }
}
