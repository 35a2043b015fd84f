package io.jenkins.plugins.kedroemrs.core.validate;

import java.util.List;

/**
 * What an EMR Serverless release needs of a custom image: the image configuration its workers run with, the
 * environment variables, and the files from the base image. One resource per release under {@code validate/profiles/}.
 *
 * @param release     e.g. {@code emr-6.10.0}
 * @param user        {@code USER} of the image, e.g. {@code hadoop:hadoop}
 * @param workingDir  {@code WORKDIR}, e.g. {@code /home/hadoop}
 * @param entrypoint  the first word of {@code ENTRYPOINT}, e.g. {@code /usr/bin/entrypoint.sh}
 * @param environment variables that must be set to an existing directory, e.g. {@code JAVA_HOME}
 * @param fileSets    the directories and the names they must hold
 */
public record ReleaseProfile(String release, String user, String workingDir, String entrypoint, List<String> environment,
        List<FileSet> fileSets) {
}
