package dev.flinkspot.plan;

import dev.flinkspot.common.Bounds;
import dev.flinkspot.common.UserInputException;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code flinkspot plan} sizes and writes: the ingest rate and region, the node shape of the
 * Spot TaskManager groups, and the names the files use.
 *
 * @param ingestMbPerS ingest in MB/s (AWS's rule: 1 KPU per MB/s)
 * @param region AWS region code
 * @param stateGb checkpoint state in GB (S3 on EKS, backups on MSF)
 * @param shape node shape of the Spot TaskManager groups
 * @param zones availability zones (empty: the region's a, b and c)
 * @param clusterName EKS cluster name
 * @param deploymentName FlinkDeployment name
 * @param namespace namespace of the FlinkDeployment and the policy
 * @param jobManagerInstanceType On-Demand instance type of the JobManager group
 * @param image job image
 * @param checkpointBucket S3 bucket for checkpoints, savepoints and HA metadata
 * @param mskCluster Amazon MSK cluster the job reads (IAM access control)
 * @param kafkaTopic topic the job reads
 * @param consumerGroup the job's consumer group (its offsets)
 */
public record PlanRequest(
    BigDecimal ingestMbPerS,
    String region,
    BigDecimal stateGb,
    NodeShape shape,
    List<String> zones,
    String clusterName,
    String deploymentName,
    String namespace,
    String jobManagerInstanceType,
    String image,
    String checkpointBucket,
    String mskCluster,
    String kafkaTopic,
    String consumerGroup) {
  public static final String POLICY_NAME = "spot-taskmanagers";
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /**
   * S3 bucket names: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with
   * a letter or digit (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). The
   * {@code <account>} placeholder of the default stands for the 12-digit account id.
   */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /**
   * Kafka topic names: at most 249 of letters, digits, '.', '_' and '-' (kafka:
   * clients/src/main/java/org/apache/kafka/common/internals/Topic.java). Used for the MSK cluster
   * and consumer group too: these names land in IAM ARNs, where '*' and '?' are wildcards.
   */
  private static final Pattern KAFKA_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  public PlanRequest {
    zones =
        zones == null || zones.isEmpty()
            ? List.of(region + "a", region + "b", region + "c")
            : List.copyOf(zones);
    for (String zone : zones) {
      if (!zone.startsWith(region) || zone.length() == region.length()) {
        throw new UserInputException(
            "--zones: '" + zone + "' is not a zone of " + region + " (e.g. " + region + "a)");
      }
    }
    if (zones.size() < ClusterConfigRules.MIN_ZONES) {
      throw new UserInputException(
          "--zones: Spot TaskManagers need at least "
              + ClusterConfigRules.MIN_ZONES
              + " availability zones (better three)");
    }
    name("--cluster-name", clusterName);
    name("--name", deploymentName);
    name("--namespace", namespace);
    if (checkpointBucket == null
        || !BUCKET.matcher(checkpointBucket.replace("<account>", "123456789012")).matches()) {
      throw new UserInputException(
          "--checkpoint-bucket '"
              + Bounds.shown(checkpointBucket)
              + "': an S3 bucket name (3-63 of a-z, 0-9, '.', '-'), no wildcard");
    }
    kafkaName("--msk-cluster", mskCluster);
    kafkaName("--kafka-topic", kafkaTopic);
    kafkaName("--consumer-group", consumerGroup);
  }

  private static void kafkaName(String option, String value) {
    if (value == null || !KAFKA_NAME.matcher(value).matches()) {
      throw new UserInputException(
          option
              + " '"
              + Bounds.shown(value)
              + "': name it exactly (letters, digits, '.', '_', '-'): a wildcard would let the"
              + " pods reach every one in IAM");
    }
  }

  private static void name(String option, String value) {
    if (value == null || !DNS_LABEL.matcher(value).matches()) {
      throw new UserInputException(
          option
              + " '"
              + Bounds.shown(value)
              + "': use lower-case letters, digits and '-' (a DNS label)");
    }
  }

  /** The image with {@code <region>} filled in. */
  public String resolvedImage() {
    return image.replace("<region>", region);
  }
}
