package dev.flinkspot.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Least privilege for the Flink pods' IAM policy: no wildcard action, no wildcard resource on the
 * data services, and both the checkpoint bucket (S3) and the Kafka topic (MSK IAM) granted.
 */
final class IamPolicyRules {

  private IamPolicyRules() {}

  static List<String> leastPrivilege(String who, JsonNode policy) {
    List<String> problems = new ArrayList<>();
    boolean s3 = false;
    boolean kafka = false;
    JsonNode statements = policy.path("Statement");
    if (!statements.isArray() || statements.isEmpty()) {
      return List.of(who + ": its IAM policy has no Statement");
    }
    for (JsonNode statement : statements) {
      if (!"Allow".equals(statement.path("Effect").asText())) {
        continue;
      }
      List<String> actions = strings(statement.path("Action"));
      List<String> resources = strings(statement.path("Resource"));
      for (String action : actions) {
        if (action.equals("*") || action.endsWith(":*")) {
          problems.add(who + ": action " + action + " is a wildcard; list the actions it needs");
        }
        if (action.startsWith("s3:")) {
          s3 = true;
        } else if (action.startsWith("kafka-cluster:")) {
          kafka = true;
        }
      }
      for (String resource : resources) {
        if (resource.equals("*") || resource.equals("arn:aws:s3:::*")) {
          problems.add(
              who
                  + ": resource "
                  + resource
                  + " is a wildcard; name the bucket, the cluster and the topic");
        }
      }
    }
    if (!s3) {
      problems.add(who + ": no S3 permission for the checkpoint bucket");
    }
    if (!kafka) {
      problems.add(who + ": no MSK (kafka-cluster:) permission for the topic");
    }
    return problems;
  }

  private static List<String> strings(JsonNode node) {
    List<String> list = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> list.add(n.asText()));
    } else if (!node.isMissingNode() && !node.isNull()) {
      list.add(node.asText());
    }
    return list;
  }
}
