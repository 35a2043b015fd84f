package io.jenkins.plugins.kedroemrs.core.emrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kedroemrs.core.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubmitJobOptionsTest {
    static final String APP = "00fabcdefgh12345";
    static final String ROLE = "arn:aws:iam::123456789012:role/emr-serverless-job";

    static SubmitJobOptions minimal() {
        return new SubmitJobOptions(APP, ROLE, "s3://bucket/code", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", 0,
                true, 0, null);
    }

    static SubmitJobOptions full() {
        return new SubmitJobOptions(APP, ROLE, "s3://bucket/code", "", "", "s3://bucket/logs", "/aws/emr-serverless/kedro",
                "greeter", "/usr/.pyenv/versions/3.11.9/bin/python", "emr", "ThreadRunner", "greet, report\nnightly_report",
                "nightly\n", "alpha=0.1,out=s3://bucket/out\nmodel.depth=3", "s3://bucket/conf", "--only-missing-outputs\n--async",
                "spark.jars=s3://bucket/a.jar,s3://bucket/b.jar\nspark.executor.memory=4g", "--num-executors 4", "nightly", 90, true,
                0, 20L);
    }

    @Test
    void listsAreOnePerLineAndKedrosOwnListsAlsoByComma() {
        SubmitRequest r = full().toRequest().build();
        assertThat(r.run()).isEqualTo(new KedroRunOptions("emr", "ThreadRunner", List.of("greet", "report", "nightly_report"),
                List.of("nightly"), Map.of("alpha", "0.1", "out", "s3://bucket/out", "model.depth", "3"), "s3://bucket/conf",
                List.of("--only-missing-outputs", "--async")));
        assertThat(r.sparkConf()).containsExactly("spark.jars=s3://bucket/a.jar,s3://bucket/b.jar", "spark.executor.memory=4g");
        assertThat(r.sparkSubmitParameters()).isEqualTo("--num-executors 4");
        assertThat(r.executionTimeoutMinutes()).isEqualTo(90L);
        assertThat(r.cloudWatchLogGroup()).isEqualTo("/aws/emr-serverless/kedro");
        assertThat(r.cloudWatchStreamPrefix()).isEqualTo("greeter");
        assertThat(r.imagePython()).isEqualTo("/usr/.pyenv/versions/3.11.9/bin/python");
        assertThat(r.name()).isEqualTo("nightly");
        JobSubmitter.checkOptions(r);
    }

    /** The guide's job runs with ThreadRunner: the default, unless another or none (an empty value) is asked for. */
    @Test
    void theRunnerIsThreadRunnerUnlessAnotherOrNoneIsAskedFor() {
        assertThat(withRunner(null).toRequest().build().run().arguments("1.0.0")).containsSequence("--runner", "ThreadRunner");
        assertThat(withRunner("ParallelRunner").toRequest().build().run().arguments("1.0.0")).containsSequence("--runner",
                "ParallelRunner");
        assertThat(withRunner("").toRequest().build().run().arguments("1.0.0")).doesNotContain("--runner");
        assertThat(withRunner("  ").toRequest().build().run().runner()).isNull();
    }

    static SubmitJobOptions withRunner(String runner) {
        return new SubmitJobOptions(APP, ROLE, "s3://bucket/code", "", "", "", "", "", "", "emr", runner, "greet", "", "", "", "", "",
                "", "", 0, true, 0, null);
    }

    @Test
    void blanksAreLeftForTheDefaults() {
        SubmitRequest r = minimal().toRequest().build();
        assertThat(r.run()).isEqualTo(KedroRunOptions.defaults());
        assertThat(r.imagePython()).isNull();
        assertThat(r.logUri()).isNull();
        assertThat(r.entrypointUri()).isNull();
        assertThat(r.executionTimeoutMinutes()).isNull();
        assertThat(r.name()).isNull();
        assertThat(minimal().waitTimeout()).isNull();
        assertThat(minimal().cancelGrace()).isNull();
    }

    @Test
    void theWaitOutlastsTheExecutionTimeoutByAnHourUnlessSet() {
        assertThat(full().waitTimeout()).isEqualTo(Duration.ofMinutes(150));
        SubmitJobOptions set = new SubmitJobOptions(APP, ROLE, "s3://bucket/code", null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, 90, true, 30, 0L);
        assertThat(set.waitTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(set.cancelGrace()).isEqualTo(Duration.ZERO);
    }

    @Test
    void checkFindsBadInputBeforeAnyPackagingOrCall() {
        minimal().check();
        full().check();
        SubmitJobOptions badRole = new SubmitJobOptions(APP, "my-role", "s3://bucket/code", null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, 0, true, 0, null);
        assertThatThrownBy(badRole::check)
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("execution-role-arn"));
        SubmitJobOptions badWait = new SubmitJobOptions(APP, ROLE, "s3://bucket/code", null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, 0, true, -3, null);
        assertThatThrownBy(badWait::check)
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("wait-timeout"));
    }

    @Test
    void formChecksOneFieldAtATime() {
        SubmitJobOptions.checkCodeUri("", "s3://bucket/code/entry.py");
        assertThatThrownBy(() -> SubmitJobOptions.checkCodeUri("", "")).hasMessageContaining("no S3 location given");
        assertThatThrownBy(() -> SubmitJobOptions.checkEntrypointUri("s3://bucket/code/")).hasMessageContaining("names a prefix");
        assertThatThrownBy(() -> SubmitJobOptions.checkLogUri("https://bucket/logs")).hasMessageContaining("is not an s3:// URI");
        assertThatThrownBy(() -> SubmitJobOptions.checkCloudWatch("", "prefix")).hasMessageContaining("a stream prefix without a log group");
        assertThatThrownBy(() -> SubmitJobOptions.checkImagePython("python3")).hasMessageContaining("is not an absolute path");
        assertThatThrownBy(() -> SubmitJobOptions.checkRun("emr", "Thread Runner", "", "", "", "", ""))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("runner"));
        assertThatThrownBy(() -> SubmitJobOptions.checkRun(null, null, null, null, "alpha", null, null))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getField()).isEqualTo("param"));
        assertThatThrownBy(() -> SubmitJobOptions.checkSpark("spark.pyspark.python=/usr/bin/python3", "", ""))
                .hasMessageContaining("would run another Python");
        assertThatThrownBy(() -> SubmitJobOptions.checkExecutionTimeout(2)).hasMessageContaining("between 5 and");
        SubmitJobOptions.checkExecutionTimeout(0);
        SubmitJobOptions.checkWaitTimeout(0);
        SubmitJobOptions.checkName("");
    }

    @Test
    void theSummaryLeavesOutParametersAndSparkSettings() {
        assertThat(minimal().summary()).isEqualTo(APP + ": __default__");
        assertThat(full().summary()).isEqualTo(APP + ": greet,report,nightly_report (env emr)")
                .doesNotContain("alpha").doesNotContain("spark");
        SubmitJobOptions noWait = new SubmitJobOptions(APP, ROLE, "s3://bucket/code", null, null, null, null, null, null, null, null,
                "greet", null, "password=hunter2", null, null, null, null, null, 0, false, 0, null);
        assertThat(noWait.summary()).isEqualTo(APP + ": greet (no wait)");
    }

    @Test
    void variablesAreExpandedInTextFields() {
        SubmitJobOptions o = minimal().expand(s -> s == null ? null : s.replace("s3://bucket", "s3://expanded"));
        assertThat(o.codeUri()).isEqualTo("s3://expanded/code");
        assertThat(o.applicationId()).isEqualTo(APP);
    }
}
