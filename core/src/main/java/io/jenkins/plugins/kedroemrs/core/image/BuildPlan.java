package io.jenkins.plugins.kedroemrs.core.image;

import java.util.List;

/**
 * What a build will do, computed without doing it (for {@code --dry-run} and the log's first lines).
 *
 * @param dockerfile        the Dockerfile text ({@code null} for builder jib)
 * @param dockerfileSource  {@code template} or the user's file
 * @param contextFiles      the files of the build context
 * @param contextSha256     their combined hash
 * @param references        the full image references built (registry/repository:tag)
 * @param commands          the command lines that will run (no secrets: the password goes through stdin)
 * @param pythonPath        the custom interpreter in the image
 * @param baseImage         the base image
 * @param platform          the build platform
 * @param ecrActions        what happens in ECR before the build (repository, policy), in words
 * @param warnings          what looks wrong but does not stop the build
 * @param layers            builder jib: the layers it adds to the base, in order (the Dockerfile builders: none)
 */
public record BuildPlan(String dockerfile, String dockerfileSource, List<BuildContext.ContextFile> contextFiles,
        String contextSha256, List<String> references, List<String> commands, String pythonPath, String baseImage,
        String platform, List<String> ecrActions, List<String> warnings, List<BuildPlan.Layer> layers) {

    /** One layer builder jib adds: its name, where its files go, and what it is made of. */
    public record Layer(String name, String target, List<BuildContext.ContextFile> inputs) {
    }
}
