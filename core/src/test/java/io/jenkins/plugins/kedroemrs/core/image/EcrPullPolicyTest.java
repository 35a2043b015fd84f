package io.jenkins.plugins.kedroemrs.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Merging the EMR Serverless pull statement into a repository policy. */
class EcrPullPolicyTest {
    static final String APP = EcrPullPolicy.applicationArn("eu-west-1", "123456789012", "00fabcdefghij12k");
    static final String OTHER_APP = EcrPullPolicy.applicationArn("eu-west-1", "123456789012", "00fzzzzzzzzzz99z");

    @Test
    void anEmptyRepositoryGetsOneStatement() throws Exception {
        JsonNode p = Json.MAPPER.readTree(EcrPullPolicy.merge(null, APP).orElseThrow());
        assertThat(p.path("Version").asText()).isEqualTo("2012-10-17");
        JsonNode s = p.path("Statement").get(0);
        assertThat(s.path("Sid").asText()).isEqualTo(EcrPullPolicy.SID);
        assertThat(s.path("Principal").path("Service").asText()).isEqualTo("emr-serverless.amazonaws.com");
        assertThat(s.path("Action").toString()).isEqualTo("[\"ecr:BatchGetImage\",\"ecr:DescribeImages\",\"ecr:GetDownloadUrlForLayer\"]");
        assertThat(s.path("Condition").path("StringEquals").path("aws:SourceArn").get(0).asText())
                .isEqualTo("arn:aws:emr-serverless:eu-west-1:123456789012:/applications/00fabcdefghij12k");
    }

    @Test
    void otherStatementsAreKeptAndASecondRunChangesNothing() throws Exception {
        String existing = """
                {"Version":"2012-10-17","Statement":{"Sid":"CiPush","Effect":"Allow",
                 "Principal":{"AWS":"arn:aws:iam::123456789012:role/ci"},"Action":["ecr:PutImage"]}}""";
        String merged = EcrPullPolicy.merge(existing, APP).orElseThrow();
        JsonNode p = Json.MAPPER.readTree(merged);
        assertThat(p.path("Statement")).hasSize(2);
        assertThat(p.path("Statement").get(0).path("Sid").asText()).isEqualTo("CiPush");
        assertThat(p.path("Statement").get(0).path("Principal").path("AWS").asText()).isEqualTo("arn:aws:iam::123456789012:role/ci");
        assertThat(EcrPullPolicy.merge(merged, APP)).isEmpty();

        JsonNode two = Json.MAPPER.readTree(EcrPullPolicy.merge(merged, OTHER_APP).orElseThrow());
        assertThat(two.path("Statement")).hasSize(2);
        assertThat(two.path("Statement").get(1).path("Condition").path("StringEquals").path("aws:SourceArn").toString())
                .isEqualTo("[\"" + APP + "\",\"" + OTHER_APP + "\"]");
    }

    @Test
    void aStatementOfTheUsersOwnThatAllowsTheApplicationIsEnough() {
        String users = """
                {"Version":"2012-10-17","Statement":[{"Sid":"Emr Serverless Custom Image Support","Effect":"Allow",
                 "Principal":{"Service":"emr-serverless.amazonaws.com"},
                 "Action":["ecr:BatchGetImage","ecr:DescribeImages","ecr:GetDownloadUrlForLayer"],
                 "Condition":{"StringEquals":{"aws:SourceArn":"%s"}}}]}""".formatted(APP);
        assertThat(EcrPullPolicy.merge(users, APP)).isEmpty();
        assertThat(EcrPullPolicy.merge(users, OTHER_APP)).map(m -> m.contains("Emr Serverless Custom Image Support")).isEqualTo(Optional.of(true));
        String deny = users.replace("\"Allow\"", "\"Deny\"");
        assertThat(EcrPullPolicy.merge(deny, APP)).isPresent();
    }
}
