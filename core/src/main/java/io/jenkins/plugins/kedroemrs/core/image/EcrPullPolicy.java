package io.jenkins.plugins.kedroemrs.core.image;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The ECR repository policy statement that lets EMR Serverless pull the image: service principal
 * {@code emr-serverless.amazonaws.com}, actions {@code ecr:BatchGetImage}, {@code ecr:DescribeImages},
 * {@code ecr:GetDownloadUrlForLayer}, condition {@code aws:SourceArn} = the application's ARN. Merged into the
 * repository's existing policy: other statements are never touched, an application already allowed (by any statement)
 * changes nothing, and further applications are added to this tool's own statement ({@value #SID}).
 */
public final class EcrPullPolicy {
    public static final String SID = "KedroEmrsEmrServerlessPull";
    public static final String SERVICE = "emr-serverless.amazonaws.com";
    public static final List<String> ACTIONS = List.of("ecr:BatchGetImage", "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer");

    private EcrPullPolicy() {
    }

    /**
     * The policy text to set so that {@code applicationArn} may pull, or empty when {@code existing} already allows it.
     *
     * @param existing the repository's policy text, or {@code null} when it has none
     */
    public static Optional<String> merge(String existing, String applicationArn) {
        ObjectNode policy = parse(existing);
        ArrayNode statements = statements(policy);
        for (JsonNode s : statements) {
            if (allows(s, applicationArn)) {
                return Optional.empty();
            }
        }
        ObjectNode own = null;
        for (JsonNode s : statements) {
            if (SID.equals(s.path("Sid").asText(null)) && s.isObject()) {
                own = (ObjectNode) s;
            }
        }
        if (own == null) {
            own = statements.addObject();
            own.put("Sid", SID);
            own.put("Effect", "Allow");
            own.putObject("Principal").put("Service", SERVICE);
            ArrayNode actions = own.putArray("Action");
            ACTIONS.forEach(actions::add);
            own.putObject("Condition").putObject("StringEquals").putArray("aws:SourceArn").add(applicationArn);
        } else {
            own.put("Effect", "Allow");
            own.putObject("Principal").put("Service", SERVICE);
            ArrayNode actions = own.putArray("Action");
            ACTIONS.forEach(actions::add);
            JsonNode equals = own.path("Condition").path("StringEquals");
            ArrayNode arns = JsonNodeFactory.instance.arrayNode();
            values(equals.path("aws:SourceArn")).forEach(arns::add);
            arns.add(applicationArn);
            ObjectNode condition = JsonNodeFactory.instance.objectNode();
            condition.putObject("StringEquals").set("aws:SourceArn", arns);
            own.set("Condition", condition);
        }
        try {
            return Optional.of(Json.MAPPER.writeValueAsString(policy));
        } catch (JacksonException e) {
            throw new EngineException("Could not write the repository policy: " + e.getOriginalMessage(), e);
        }
    }

    /** The ARN of an EMR Serverless application, in the partition of its region. */
    public static String applicationArn(String region, String accountId, String applicationId) {
        String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        return "arn:" + partition + ":emr-serverless:" + region + ":" + accountId + ":/applications/" + applicationId;
    }

    private static ObjectNode parse(String existing) {
        if (existing == null || existing.isBlank()) {
            ObjectNode p = JsonNodeFactory.instance.objectNode();
            p.put("Version", "2012-10-17");
            p.putArray("Statement");
            return p;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(existing);
            if (!n.isObject()) {
                throw new EngineException("The repository policy is not a JSON object: " + existing);
            }
            return (ObjectNode) n;
        } catch (JacksonException e) {
            throw new EngineException("The repository's current policy is not JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** The Statement array; a single statement object is turned into an array of one. */
    private static ArrayNode statements(ObjectNode policy) {
        JsonNode s = policy.get("Statement");
        if (s instanceof ArrayNode a) {
            return a;
        }
        ArrayNode a = policy.putArray("Statement");
        if (s != null && s.isObject()) {
            a.add(s);
        }
        return a;
    }

    /** Whether one statement already lets the service pull for this application. */
    static boolean allows(JsonNode s, String applicationArn) {
        if (!"Allow".equals(s.path("Effect").asText())) {
            return false;
        }
        if (!values(s.path("Principal").path("Service")).contains(SERVICE)) {
            return false;
        }
        List<String> actions = values(s.path("Action")).stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        boolean allActions = actions.contains("ecr:*") || actions.contains("*")
                || ACTIONS.stream().allMatch(a -> actions.contains(a.toLowerCase(Locale.ROOT)));
        if (!allActions) {
            return false;
        }
        JsonNode condition = s.path("Condition");
        if (condition.isMissingNode() || condition.isEmpty()) {
            return true; // any source: broader than needed, but it does allow this application
        }
        for (Iterator<Map.Entry<String, JsonNode>> ops = condition.fields(); ops.hasNext();) {
            Map.Entry<String, JsonNode> op = ops.next();
            String operator = op.getKey().toLowerCase(Locale.ROOT);
            if (!List.of("stringequals", "arnequals", "stringlike", "arnlike").contains(operator)) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext();) {
                Map.Entry<String, JsonNode> key = keys.next();
                if (!key.getKey().equalsIgnoreCase("aws:SourceArn") || !values(key.getValue()).contains(applicationArn)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> values(JsonNode n) {
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        if (n.isArray()) {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            n.forEach(v -> out.add(v.asText()));
            return out;
        }
        return List.of();
    }
}
