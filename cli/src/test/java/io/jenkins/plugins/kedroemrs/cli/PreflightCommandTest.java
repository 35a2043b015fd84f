package io.jenkins.plugins.kedroemrs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.aws.IamFixtures;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kedro-emrs preflight} against moto_server and the stand-in ({@link StandInAws}: a set-up that is right, the
 * role's permissions decided by moto's own policy evaluator behind the stand-in's SimulatePrincipalPolicy).
 */
class PreflightCommandTest {
    @TempDir
    Path tmp;

    @RegisterExtension
    final StandInAws aws = new StandInAws();

    CliRun preflight(String role, String... more) {
        List<String> args = new ArrayList<>(List.of("preflight", "--application-id", aws.applicationId, "--execution-role-arn", role,
                "--image-uri", aws.pinned(), "--code-uri", "s3://" + StandInAws.BUCKET + "/code",
                "--log-uri", "s3://" + StandInAws.BUCKET + "/logs", "--spark-conf", "spark.executor.instances=2"));
        args.addAll(List.of(more));
        return aws.run(args.toArray(String[]::new));
    }

    @Test
    void aRightSetUpPassesWithATableAndJunit() throws Exception {
        Path junit = tmp.resolve("reports/preflight.xml");
        CliRun run = preflight(StandInAws.ROLE, "--junit", junit.toString());

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout()).containsSubsequence("CHECK", "STATUS", "REASON",
                "credentials ", "PASS", "account 123456789012",
                "application ", "PASS",
                "ecr:pull-policy ", "PASS", "lets emr-serverless.amazonaws.com pull",
                "role ", "PASS", "may be assumed by emr-serverless.amazonaws.com",
                "role:entrypoint-read ", "PASS",
                "role:log-write ", "PASS",
                "s3:code-bucket ", "PASS", StandInAws.BUCKET + " is in us-east-1",
                "capacity ", "PASS",
                "PASSED: ", " 0 failed", "application " + aws.applicationId + " in us-east-1");
        assertThat(run.stdout()).doesNotContain(" FAIL ");
        assertThat(run.stderr()).contains("==> Preflight: application " + aws.applicationId, "JUnit XML: " + junit);
        String xml = Files.readString(junit);
        assertThat(xml).contains("<testsuite name=\"kedro-emrs preflight\"", "failures=\"0\"",
                "<testcase classname=\"preflight\" name=\"role:entrypoint-read\"");
    }

    @Test
    void aRoleWithoutTrustFailsItsOwnCheckAndExitsOne() throws Exception {
        IamFixtures iam = new IamFixtures(aws.aws);
        String role = iam.createRole("ec2-only", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}");
        iam.putRolePolicy("ec2-only", "access", StandInAws.ACCESS);

        CliRun run = preflight(role, "--json");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(Main.FAILED);
        JsonNode report = Json.MAPPER.readTree(run.stdout());
        assertThat(report.path("passed").asBoolean()).isFalse();
        List<String> failed = new ArrayList<>();
        report.path("checks").forEach(c -> {
            if ("FAIL".equals(c.path("status").asText())) {
                failed.add(c.path("name").asText() + ": " + c.path("reason").asText());
            }
        });
        assertThat(failed).singleElement().asString().startsWith("role: " + role + "'s trust policy does not let "
                + "emr-serverless.amazonaws.com assume it: add {\"Effect\": \"Allow\"");
        // With --json the table goes to stderr, so that stdout stays one JSON document.
        assertThat(run.stderr()).contains("FAILED: ", " 1 failed");
        assertThat(report.path("calls").asInt()).isPositive();
    }

    @Test
    void badInputIsRefusedBeforeAnyCall() throws Exception {
        CliRun run = aws.run("preflight", "--application-id", aws.applicationId, "--log-uri", "logs/here",
                "--architecture", "sparc");

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.stderr()).contains("log-uri", "architecture", "\"sparc\" is not an architecture of EMR Serverless");
        assertThat(aws.moto.calls()).isEmpty();
    }
}
