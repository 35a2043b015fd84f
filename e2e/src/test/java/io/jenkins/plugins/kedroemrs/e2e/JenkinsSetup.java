package io.jenkins.plugins.kedroemrs.e2e;

import io.jenkins.plugins.kedroemrs.core.process.Command;
import io.jenkins.plugins.kedroemrs.core.process.ProcessRunner;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import io.jenkins.plugins.kedroemrs.core.util.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a Jenkins administrator sets up once for the README's Jenkinsfiles, done through Jenkins' REST API:
 * <ul>
 *   <li>an <em>AWS Credentials</em> credential {@value #CREDENTIALS_ID} (the README's id) with moto's fixed fake keys,
 *       through the credentials plugin's {@code createCredentials};</li>
 *   <li>global environment variables (<em>Manage Jenkins » System » Global properties</em>): {@code AWS_ENDPOINT_URL},
 *       which sends the steps' AWS calls to the stand-in as it would to LocalStack, and {@code DOCKER_HOST}, the
 *       Docker engine the agent's {@code docker} talks to;</li>
 *   <li>the labels {@code docker python} on the built-in node (the README's agents);</li>
 *   <li>the shared library {@value #LIBRARY} as a global trusted library, from a Git repository holding this
 *       repository's {@code vars/} (the way README's "Installing" says), default version {@code main}.</li>
 * </ul>
 * Settings that have no REST form of their own are made in the script console ({@code scriptText}), as an administrator
 * would.
 */
public final class JenkinsSetup {
    public static final String CREDENTIALS_ID = "aws-deployer";
    public static final String LIBRARY = "kedro-emr-serverless";
    /** moto's fixed fake access key and secret (not a secret: moto takes any). */
    private static final String MOTO_KEY = "testing";

    private JenkinsSetup() {
    }

    public static void awsCredentials(JenkinsClient jenkins) throws IOException, InterruptedException {
        JenkinsClient.ok(jenkins.postXml("credentials/store/system/domain/_/createCredentials", """
                <com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl>
                  <scope>GLOBAL</scope>
                  <id>%s</id>
                  <description>moto's fixed fake keys (the stand-in for AWS)</description>
                  <accessKey>%s</accessKey>
                  <secretKey>%s</secretKey>
                </com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl>
                """.formatted(CREDENTIALS_ID, MOTO_KEY, MOTO_KEY)), "createCredentials");
    }

    /** Global environment variables, as under Manage Jenkins » System » Global properties. */
    public static void globalEnvironment(JenkinsClient jenkins, Map<String, String> variables) throws IOException, InterruptedException {
        StringBuilder entries = new StringBuilder();
        variables.forEach((k, v) -> entries.append("entries.add(new EnvironmentVariablesNodeProperty.Entry('")
                .append(groovy(k)).append("', '").append(groovy(v)).append("'))\n"));
        script(jenkins, """
                import hudson.slaves.EnvironmentVariablesNodeProperty
                def entries = []
                %s
                def props = jenkins.model.Jenkins.get().globalNodeProperties
                props.removeAll(EnvironmentVariablesNodeProperty)
                props.add(new EnvironmentVariablesNodeProperty(entries))
                jenkins.model.Jenkins.get().save()
                println 'ok'
                """.formatted(entries));
    }

    public static void builtInLabels(JenkinsClient jenkins, String labels) throws IOException, InterruptedException {
        script(jenkins, "jenkins.model.Jenkins.get().setLabelString('" + groovy(labels) + "')\nprintln 'ok'");
    }

    /**
     * A Git repository (branch {@code main}) holding {@code vars/} as a library repository's root, in {@code dir};
     * configured as the global trusted library {@value #LIBRARY} with a modern SCM retriever and default version main.
     */
    public static void library(JenkinsClient jenkins, Path vars, Path dir) throws IOException, InterruptedException {
        FileTrees.deleteRecursively(dir);
        Files.createDirectories(dir.resolve("vars"));
        try (var files = Files.list(vars)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches(".*\\.(groovy|txt)")).toList()) {
                Files.copy(f, dir.resolve("vars").resolve(f.getFileName()));
            }
        }
        git(dir, "init", "-q", "-b", "main");
        git(dir, "add", "vars");
        git(dir, "-c", "user.name=e2e", "-c", "user.email=e2e@localhost", "commit", "-q", "-m", "vars/ of kedro-emr-serverless");
        script(jenkins, """
                import org.jenkinsci.plugins.workflow.libs.*
                import jenkins.plugins.git.GitSCMSource
                def lib = new LibraryConfiguration('%s', new SCMSourceRetriever(new GitSCMSource('%s')))
                lib.defaultVersion = 'main'
                GlobalLibraries.get().libraries = [lib]
                println 'ok'
                """.formatted(LIBRARY, groovy(dir.toUri().toString())));
    }

    /** Runs an administrator's script; it must print {@code ok}. */
    static void script(JenkinsClient jenkins, String groovy) throws IOException, InterruptedException {
        String out = jenkins.script(groovy);
        if (!out.strip().endsWith("ok")) {
            throw new IllegalStateException("script console: " + out);
        }
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        new ProcessRunner(ProgressListener.NONE).run(Command.of("git").args(List.of(args)).workingDir(dir)
                .timeout(Duration.ofMinutes(1)).build()).orThrow("git " + String.join(" ", args));
    }

    private static String groovy(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }
}
