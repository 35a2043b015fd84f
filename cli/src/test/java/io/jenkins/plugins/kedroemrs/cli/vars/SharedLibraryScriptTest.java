package io.jenkins.plugins.kedroemrs.cli.vars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared library's {@code vars/kedroEmrServerless.groovy} without Jenkins: compiled by Groovy 2.4.21 (the version
 * Jenkins runs Pipeline scripts with), then run against recording stand-ins of the plugin's steps, {@code stage} and
 * {@code error}, which Groovy resolves from the script's binding as Jenkins resolves them from its DSL. It checks the
 * routing of the options and the wiring of each step's result into the next. What it cannot check: the CPS
 * transformation and the sandbox (the plugin's {@code KedroEmrServerlessLibraryTest} runs the library in Jenkins).
 */
class SharedLibraryScriptTest {
    static final Path SCRIPT = Path.of("..", "vars", "kedroEmrServerless.groovy");
    static final String ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kedro/spaceflights";
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    /** A step, {@code stage} or {@code error} stand-in: writes down its call, answers like the real one. */
    final class Recorder extends Closure<Object> {
        private final String name;

        Recorder(String name) {
            super(null);
            this.name = name;
        }

        public Object doCall(Object... args) {
            calls.add(name);
            switch (name) {
                case "stage":
                    return ((Closure<?>) args[1]).call();
                case "error":
                    throw new IllegalArgumentException(String.valueOf(args[0]));
                case "isUnix":
                    return answers.get(name);
                case "echo":
                    received.put(name, Map.of("message", args[0]));
                    return null;
                default:
                    @SuppressWarnings("unchecked")
                    Map<String, Object> stepArgs = (Map<String, Object>) args[0];
                    received.put(name, stepArgs);
                    return answers.get(name);
            }
        }
    }

    final List<String> calls = new ArrayList<>();
    final Map<String, Map<String, Object>> received = new LinkedHashMap<>();
    final Map<String, Object> answers = new LinkedHashMap<>();
    Script library;

    @BeforeEach
    void load() throws Exception {
        assertThat(SCRIPT).as("the shared library next to the modules").isRegularFile();
        Binding binding = new Binding();
        for (String name : List.of("emrsPreflight", "kedroPackage", "emrsBuildImage", "emrsValidateImage", "emrsRestartApp", "emrsSubmit", "stage",
                "error", "isUnix", "sh", "bat", "echo")) {
            binding.setVariable(name, new Recorder(name));
        }
        library = new GroovyShell(binding).parse(Files.readString(SCRIPT, StandardCharsets.UTF_8), "kedroEmrServerless.groovy");
        answers.put("emrsPreflight", Map.of("passed", true, "calls", 12));
        answers.put("kedroPackage", Map.of("packageName", "spaceflights", "wheel", Map.of("path", "/ws/dist/s.whl")));
        answers.put("emrsBuildImage", Map.of("image", ECR + "@" + DIGEST, "digest", DIGEST, "pythonPath",
                "/usr/.pyenv/versions/3.11.9/bin/python"));
        answers.put("emrsValidateImage", Map.of("passed", true));
        answers.put("emrsRestartApp", DIGEST);
        answers.put("emrsSubmit", Map.of("jobRunId", "00job", "state", "SUCCESS"));
        answers.put("isUnix", true);
        answers.put("sh", 0); // `command -v docker || command -v podman`: found
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> run(Map<String, Object> options) {
        return (Map<String, Object>) library.invokeMethod("call", new Object[] {options});
    }

    static Map<String, Object> guide() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("projectDir", "spaceflights");
        o.put("python", ".venv/bin/python");
        o.put("repository", ECR);
        o.put("releaseLabel", "emr-7.1.0");
        o.put("applicationId", "00fabcdefgh12345");
        o.put("executionRoleArn", "arn:aws:iam::123456789012:role/job");
        o.put("codeUri", "s3://bucket/code");
        o.put("env", "emr");
        o.put("pipelines", "data_processing");
        o.put("credentialsId", "aws");
        o.put("region", "eu-west-1");
        o.put("emrsValidateImage", Map.of("junit", "reports/image.xml"));
        o.put("emrsRestartApp", Map.of("runningJobs", "wait"));
        o.put("emrsSubmit", Map.of("tags", "nightly"));
        return o;
    }

    /** An agent without docker or podman (a Kubernetes pod, Docker-in-Docker forbidden): the image is built with jib, and the log says so. */
    @Test
    void withoutAContainerCliOnTheAgentTheImageIsBuiltWithJib() {
        answers.put("sh", 1);
        run(guide());
        assertThat(received.get("emrsBuildImage")).containsEntry("builder", "jib");
        assertThat(received.get("echo").get("message").toString()).contains("no docker or podman", "builder jib", "pythonDist");
        // A builder asked for is not second-guessed, and a Docker tool installation means docker is there.
        calls.clear();
        Map<String, Object> podman = guide();
        podman.put("builder", "podman");
        run(podman);
        assertThat(calls).doesNotContain("sh");
        assertThat(received.get("emrsBuildImage")).containsEntry("builder", "podman");
        answers.put("isUnix", false);
        answers.put("bat", 0);
        calls.clear();
        run(guide());
        assertThat(calls).contains("bat").doesNotContain("sh");
        assertThat(received.get("emrsBuildImage")).doesNotContainKey("builder");
    }

    @Test
    void theGuideRunsInSixStagesEachStepGettingItsOptionsAndTheResultsBefore() {
        Map<String, Object> results = run(guide());
        assertThat(calls).containsExactly("stage", "emrsPreflight", "stage", "kedroPackage", "stage", "isUnix", "sh", "emrsBuildImage", "stage", "emrsValidateImage", "stage",
                "emrsRestartApp", "stage", "emrsSubmit");
        Object pkg = answers.get("kedroPackage");
        String image = ECR + "@" + DIGEST;
        String python = "/usr/.pyenv/versions/3.11.9/bin/python";
        Map<String, Object> aws = Map.of("credentialsId", "aws", "region", "eu-west-1");

        // Preflight first: what the later steps will need of AWS, with the build's pull statement to come (ECR).
        assertThat(received.get("emrsPreflight")).containsAllEntriesOf(aws).containsEntry("applicationId", "00fabcdefgh12345")
                .containsEntry("repository", ECR).containsEntry("executionRoleArn", "arn:aws:iam::123456789012:role/job")
                .containsEntry("codeUri", "s3://bucket/code").containsEntry("pullPolicyByBuild", true).hasSize(7);
        assertThat(received.get("kedroPackage")).isEqualTo(Map.of("projectDir", "spaceflights", "python", ".venv/bin/python"));
        assertThat(received.get("emrsBuildImage")).containsAllEntriesOf(aws).containsEntry("repository", ECR)
                .containsEntry("releaseLabel", "emr-7.1.0").containsEntry("applicationId", "00fabcdefgh12345")
                .containsEntry("push", true).containsEntry("packageResult", pkg).hasSize(7);
        assertThat(received.get("emrsValidateImage")).containsAllEntriesOf(aws).containsEntry("image", image)
                .containsEntry("python", python).containsEntry("packageResult", pkg).containsEntry("releaseLabel", "emr-7.1.0")
                .containsEntry("junit", "reports/image.xml").containsEntry("env", "emr").containsEntry("pipelines", "data_processing")
                .hasSize(9);
        assertThat(received.get("emrsRestartApp")).containsAllEntriesOf(aws).containsEntry("applicationId", "00fabcdefgh12345")
                .containsEntry("imageUri", image).containsEntry("expectDigest", DIGEST).containsEntry("releaseLabel", "emr-7.1.0")
                .containsEntry("runningJobs", "wait").hasSize(7);
        assertThat(received.get("emrsSubmit")).containsAllEntriesOf(aws).containsEntry("applicationId", "00fabcdefgh12345")
                .containsEntry("executionRoleArn", "arn:aws:iam::123456789012:role/job").containsEntry("codeUri", "s3://bucket/code")
                .containsEntry("env", "emr").containsEntry("pipelines", "data_processing").containsEntry("tags", "nightly")
                .containsEntry("packageResult", pkg).containsEntry("imagePython", python).hasSize(10);

        assertThat(results).containsEntry("preflight", answers.get("emrsPreflight")).containsEntry("packageResult", pkg).containsEntry("image", answers.get("emrsBuildImage"))
                .containsEntry("validation", answers.get("emrsValidateImage")).containsEntry("restart", DIGEST)
                .containsEntry("jobRun", answers.get("emrsSubmit"));
    }

    @Test
    void skippedStepsNoStagesAndARegistryOtherThanEcr() {
        Map<String, Object> o = guide();
        o.put("repository", "registry.example.com/kedro/app");
        o.put("validate", false);
        o.put("restart", false);
        o.put("stages", false);
        Map<String, Object> results = run(o);
        assertThat(calls).containsExactly("emrsPreflight", "kedroPackage", "isUnix", "sh", "emrsBuildImage", "emrsSubmit");
        assertThat(received.get("emrsPreflight")).as("no pull statement outside ECR").containsEntry("pullPolicyByBuild", false);
        calls.clear();
        o.put("preflight", false);
        results = run(o);
        assertThat(calls).containsExactly("kedroPackage", "isUnix", "sh", "emrsBuildImage", "emrsSubmit");
        assertThat(results.get("preflight")).isNull();
        assertThat(received.get("emrsBuildImage")).as("no ECR policy outside ECR").doesNotContainKey("applicationId");
        assertThat(received.get("emrsSubmit")).containsEntry("applicationId", "00fabcdefgh12345");
        assertThat(results.get("validation")).isNull();
        assertThat(results.get("restart")).isNull();
    }

    @Test
    void aStepsOwnMapWinsOverTheTopAndOverWhatTheFlowPassesOn() {
        Map<String, Object> o = guide();
        o.put("emrsValidateImage", Map.of("python", "/opt/python/bin/python3", "releaseLabel", "emr-7.0.0"));
        o.put("emrsBuildImage", Map.of("push", false, "timeout", 90, "tags", "ci-7"));
        o.put("kedroPackage", Map.of("timeout", 30));
        run(o);
        assertThat(received.get("emrsValidateImage")).containsEntry("python", "/opt/python/bin/python3")
                .containsEntry("releaseLabel", "emr-7.0.0");
        assertThat(received.get("emrsBuildImage")).containsEntry("push", false).containsEntry("timeout", 90).containsEntry("tags", "ci-7");
        assertThat(received.get("kedroPackage")).containsEntry("timeout", 30);
    }

    @Test
    void badOptionsFailBeforeAnyStepRuns() {
        for (Map.Entry<String, String> bad : Map.of(
                "timeout", "'timeout' means different things to kedroPackage and emrsBuildImage: give it under the step's name,"
                        + " e.g. kedroPackage: [timeout: ...]",
                "tags", "'tags' means different things to emrsBuildImage and emrsSubmit",
                "imageUri", "unknown option 'imageUri' at the top (the flow sets it; give it under the step's name to override)",
                "colour", "unknown option 'colour'. Options: those of emrsPreflight, kedroPackage").entrySet()) {
            calls.clear();
            Map<String, Object> o = guide();
            o.put(bad.getKey(), "x");
            assertThatThrownBy(() -> run(o)).hasMessageContaining(bad.getValue());
            assertThat(calls).as(bad.getKey()).containsExactly("error");
        }
        calls.clear();
        Map<String, Object> o = guide();
        o.put("emrsSubmit", "nightly");
        assertThatThrownBy(() -> run(o)).hasMessageContaining("'emrsSubmit' takes a map of emrsSubmit's options");
        assertThat(calls).containsExactly("error");
    }
}
