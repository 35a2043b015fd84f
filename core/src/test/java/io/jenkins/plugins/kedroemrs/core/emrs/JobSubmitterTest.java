package io.jenkins.plugins.kedroemrs.core.emrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.testing.MotoServer;
import io.jenkins.plugins.kedroemrs.core.testing.RecordingProgress;
import io.jenkins.plugins.kedroemrs.core.testing.SamplePackageResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.JobRun;
import software.amazon.awssdk.services.emrserverless.model.SparkSubmit;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** Submission against a real moto_server: what StartJobRun received, read back through GetJobRun, and the S3 upload. */
class JobSubmitterTest {
    static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/emr-serverless-job";
    static final String BUCKET = "kedro-emrs-test";
    static final String PY = SubmitRequest.defaultImagePython(SamplePackageResult.PYTHON_VERSION);

    @TempDir
    Path dist;
    MotoServer moto;
    AwsClientFactory aws;
    EmrServerlessClient emr;
    RecordingProgress progress = new RecordingProgress();
    String applicationId;

    @BeforeEach
    void setUp() throws Exception {
        moto = MotoServer.shared();
        moto.reset();
        aws = new AwsClientFactory(moto.settings());
        emr = aws.emrServerless();
        aws.s3().createBucket(b -> b.bucket(BUCKET));
        applicationId = emr.createApplication(c -> c.name("kedro").releaseLabel("emr-6.10.0").type("SPARK")).applicationId();
    }

    @AfterEach
    void close() {
        aws.close();
    }

    JobSubmitter submitter() {
        return new JobSubmitter(emr, aws.s3(), MotoServer.REGION, progress);
    }

    SubmitRequest.Builder guideRequest(PackageResult packaged) {
        return SubmitRequest.builder().packageResult(packaged).applicationId(applicationId).executionRoleArn(ROLE)
                .codeUri("s3://" + BUCKET + "/code").run(new KedroRunOptions("emr", "ThreadRunner", List.of("greet"), null,
                        null, null, null));
    }

    @Test
    void submitsTheGuidesJobDriverExactly() throws Exception {
        PackageResult packaged = SamplePackageResult.write(dist, "0.19.14");
        SubmittedJobRun run = submitter().submit(guideRequest(packaged).executionTimeoutMinutes(90L)
                .logUri("s3://" + BUCKET + "/logs").runId("build-17/step-3").build());

        JobRun read = emr.getJobRun(g -> g.applicationId(applicationId).jobRunId(run.jobRunId())).jobRun();
        SparkSubmit spark = read.jobDriver().sparkSubmit();
        assertThat(spark.entryPoint()).isEqualTo("s3://" + BUCKET + "/code/entrypoint_greeter.py");
        assertThat(spark.entryPointArguments()).containsExactly("--env", "emr", "--runner", "ThreadRunner", "--pipeline", "greet");
        assertThat(spark.sparkSubmitParameters()).isEqualTo(
                "--conf spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON=" + PY
                        + " --conf spark.emr-serverless.driverEnv.PYSPARK_PYTHON=" + PY
                        + " --conf spark.executorEnv.PYSPARK_PYTHON=" + PY);
        assertThat(read.executionRole()).isEqualTo(ROLE);
        assertThat(read.name()).isEqualTo("greeter greet");
        assertThat(read.executionTimeoutMinutes()).isEqualTo(90L);
        assertThat(read.configurationOverrides().monitoringConfiguration().s3MonitoringConfiguration().logUri())
                .isEqualTo("s3://" + BUCKET + "/logs/");

        assertThat(run.applicationId()).isEqualTo(applicationId);
        assertThat(run.arn()).isEqualTo(read.arn());
        assertThat(run.clientToken()).isEqualTo(JobSubmitter.clientToken("build-17/step-3")).hasSize(64);
        assertThat(run.logLocation()).isEqualTo("s3://" + BUCKET + "/logs/applications/" + applicationId + "/jobs/" + run.jobRunId() + "/");
        assertThat(run.consoleUrl()).isEqualTo("https://us-east-1.console.aws.amazon.com/emr/home?region=us-east-1"
                + "#/serverless/applications/" + applicationId + "/job-runs/" + run.jobRunId());
        assertThat(progress.events()).contains("link: EMR Serverless job run " + run.jobRunId() + " " + run.consoleUrl(),
                "info: Job run " + run.jobRunId() + " (\"greeter greet\") submitted");
    }

    @Test
    void uploadsTheEntryPointOnceAndOnlyAgainWhenItChanges() throws Exception {
        PackageResult packaged = SamplePackageResult.write(dist, "1.7.0");
        submitter().submit(guideRequest(packaged).build());
        ResponseBytes<GetObjectResponse> object = aws.s3().getObjectAsBytes(g -> g.bucket(BUCKET).key("code/entrypoint_greeter.py"));
        assertThat(object.asByteArray()).isEqualTo(Files.readAllBytes(packaged.entrypoint().file()));
        assertThat(object.response().metadata()).containsEntry("sha256", packaged.entrypoint().sha256());
        assertThat(progress.all()).contains("Uploaded the entry point to s3://" + BUCKET + "/code/entrypoint_greeter.py");

        submitter().submit(guideRequest(packaged).build());
        assertThat(progress.all()).contains("Entry point unchanged at s3://" + BUCKET + "/code/entrypoint_greeter.py");

        Files.writeString(packaged.entrypoint().file(), "# changed\n", java.nio.file.StandardOpenOption.APPEND);
        submitter().submit(guideRequest(packaged).build());
        assertThat(aws.s3().getObjectAsBytes(g -> g.bucket(BUCKET).key("code/entrypoint_greeter.py")).asUtf8String())
                .endsWith("# changed\n");
    }

    @Test
    void kedro1ProjectsGetPipelinesAndEveryTypedOption() throws Exception {
        PackageResult packaged = SamplePackageResult.write(dist, "1.7.0");
        SubmittedJobRun run = submitter().submit(guideRequest(packaged)
                .run(new KedroRunOptions("emr", "ThreadRunner", List.of("greet", "report"), List.of("nightly"),
                        KedroRunOptions.parseParams(List.of("out_dir=s3://" + BUCKET + "/out")), "s3://" + BUCKET + "/conf",
                        List.of("--only-missing-outputs")))
                .sparkConf(List.of("spark.executor.memory=4g")).name("nightly greeter")
                .cloudWatchLogGroup("/aws/emr-serverless/kedro").cloudWatchStreamPrefix("greeter").build());
        JobRun read = emr.getJobRun(g -> g.applicationId(applicationId).jobRunId(run.jobRunId())).jobRun();
        assertThat(read.jobDriver().sparkSubmit().entryPointArguments()).containsExactly("--env", "emr", "--runner",
                "ThreadRunner", "--pipelines", "greet,report", "--tags", "nightly", "--params", "out_dir=s3://" + BUCKET + "/out",
                "--conf-source", "s3://" + BUCKET + "/conf", "--only-missing-outputs");
        assertThat(read.jobDriver().sparkSubmit().sparkSubmitParameters()).endsWith(
                "spark.executorEnv.PYSPARK_PYTHON=" + PY + " --conf spark.executor.memory=4g");
        assertThat(read.name()).isEqualTo("nightly greeter");
        var cw = read.configurationOverrides().monitoringConfiguration().cloudWatchLoggingConfiguration();
        assertThat(cw.enabled()).isTrue();
        assertThat(cw.logGroupName()).isEqualTo("/aws/emr-serverless/kedro");
        assertThat(cw.logStreamNamePrefix()).isEqualTo("greeter");
        assertThat(run.cloudWatchLogGroup()).isEqualTo("/aws/emr-serverless/kedro");
        assertThat(progress.events()).anyMatch(e -> e.startsWith("link: Logs in CloudWatch (/aws/emr-serverless/kedro) "
                + "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/"
                + "$252Faws$252Femr-serverless$252Fkedro$3FlogStreamNameFilter$3Dgreeter$252Fapplications$252F"));
    }

    @Test
    void aMissingApplicationIsBadInputNamingTheField() throws Exception {
        PackageResult packaged = SamplePackageResult.write(dist, "1.7.0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> submitter().submit(guideRequest(packaged)
                .applicationId("00nosuchapp00000").build()))
                .isInstanceOfSatisfying(io.jenkins.plugins.kedroemrs.core.InvalidInputException.class,
                        e -> assertThat(e.getField()).isEqualTo("application-id"))
                .hasMessageContaining("there is no application 00nosuchapp00000 in us-east-1");
    }
}
