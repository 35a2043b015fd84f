package io.jenkins.plugins.kedroemrs.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Jenkinsfiles of README.md as a user copies them, adapted to the stand-ins by replacing values only where this
 * machine differs from AWS: the application id (the stand-in makes its own), the repository (the local registry,
 * as moto's ECR has no registry endpoint, so without what only an ECR repository takes: {@code ensureRepository} and
 * the application id of its pull policy), the offline image build
 * options (no public.ecr.aws, no package index), the pipeline of the sample project, and the {@code junit} step (the
 * JUnit plugin is not in the Jenkins kit: the report is checked in the workspace instead). Every replacement must
 * match exactly once, so a README that drifts from what is tested fails the test.
 */
public final class ReadmeJenkinsfiles {
    public static final String ONE_CALL = "### One call: the `kedroEmrServerless` shared library";
    public static final String FIVE_STEPS = "### The five steps spelled out";
    static final String README_APP = "00fabcdefgh12345";
    static final String README_REPO = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/spaceflights";
    static final String JUNIT = "      post { always { junit allowEmptyResults: true, testResults: 'reports/image.xml' } }\n";

    private final String readme;

    private ReadmeJenkinsfiles(String readme) {
        this.readme = readme;
    }

    public static ReadmeJenkinsfiles read() throws IOException {
        return new ReadmeJenkinsfiles(Files.readString(KitJenkins.root().resolve("README.md")));
    }

    /** The first {@code groovy} block after {@code heading}, as written. */
    public String block(String heading) {
        int at = readme.indexOf("\n" + heading + "\n");
        if (at < 0) {
            throw new IllegalStateException("README.md has no heading \"" + heading + "\"");
        }
        int start = readme.indexOf("```groovy\n", at);
        int end = readme.indexOf("\n```", start + 10);
        if (start < 0 || end < 0) {
            throw new IllegalStateException("README.md has no groovy block after \"" + heading + "\"");
        }
        return readme.substring(start + "```groovy\n".length(), end + 1);
    }

    /** The one-call Jenkinsfile, adapted to the stand-ins. */
    public String oneCall(StandIns s) throws IOException, InterruptedException {
        return new Adapted(block(ONE_CALL))
                .replace("repository: '" + README_REPO + "', ensureRepository: true,", "repository: '" + s.repository() + "',")
                .replace("applicationId: '" + README_APP + "'", "applicationId: '" + s.applicationId + "'")
                .replace("pipelines: 'data_processing'", "pipelines: 'greet'")
                .replace("emrsValidateImage: [junit: 'reports/image.xml'],",
                        "emrsBuildImage: [" + s.offlineImageOptions() + "],\n              emrsValidateImage: [junit: 'reports/image.xml'],")
                .replace(JUNIT, "")
                .text;
    }

    /** The five-step Jenkinsfile, adapted to the stand-ins. */
    public String fiveSteps(StandIns s) throws IOException, InterruptedException {
        return new Adapted(block(FIVE_STEPS))
                .replace("APP  = '" + README_APP + "'", "APP  = '" + s.applicationId + "'")
                .replace("REPO = '" + README_REPO + "'", "REPO = '" + s.repository() + "'")
                .replace("applicationId: env.APP, ensureRepository: true,", s.offlineImageOptions() + ",")
                .replace("pipelines: 'data_processing'", "pipelines: 'greet'")
                .replace("      post { always { junit 'reports/image.xml' } }\n", "")
                .text;
    }

    private record Adapted(String text) {
        Adapted replace(String from, String to) {
            int first = text.indexOf(from);
            if (first < 0 || text.indexOf(from, first + 1) >= 0) {
                throw new IllegalStateException("README's Jenkinsfile changed: expected \"" + from + "\" exactly once in:\n" + text);
            }
            return new Adapted(text.replace(from, to));
        }
    }
}
