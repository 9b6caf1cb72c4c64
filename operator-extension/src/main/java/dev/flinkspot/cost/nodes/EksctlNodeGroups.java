package dev.flinkspot.cost.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.common.Bounds;
import dev.flinkspot.common.UserInputException;
import dev.flinkspot.common.YamlFiles;
import dev.flinkspot.kube.Names;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the JobManager and TaskManager node groups from an eksctl ClusterConfig. Groups are
 * recognised by the {@code flinkspot.dev/pool} label ({@code jobmanager} / {@code taskmanager});
 * all TaskManager groups together form the diversified Spot pool.
 */
public final class EksctlNodeGroups {
  public static final String POOL_LABEL = Names.POOL_LABEL;
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final List<String> GROUP_LISTS = List.of("managedNodeGroups", "nodeGroups");

  private EksctlNodeGroups() {}

  public static ClusterNodeGroups read(Path file) {
    JsonNode config = YamlFiles.readTree(YAML, file, "--eksctl " + file);
    return fromConfig(config, "--eksctl " + file);
  }

  public static ClusterNodeGroups fromConfig(JsonNode config, String origin) {
    if (config == null || !"ClusterConfig".equals(config.path("kind").asText())) {
      throw new UserInputException(origin + ": not an eksctl ClusterConfig (kind: ClusterConfig)");
    }
    List<NodeGroup> jobManagers = new ArrayList<>();
    List<NodeGroup> taskManagers = new ArrayList<>();
    NodeGroup system = null;
    int systemNodes = 0;
    for (String list : GROUP_LISTS) {
      for (JsonNode group : config.path(list)) {
        String pool = poolName(group);
        if (pool.equals("system")
            || (pool.isEmpty() && "system".equals(group.path("name").asText()))) {
          system = nodeGroup(group, list, origin);
          // eksctl starts desiredCapacity nodes (minSize when unset, and 2 when neither is set)
          systemNodes = group.path("desiredCapacity").asInt(group.path("minSize").asInt(2));
        } else if (pool.equals("jobmanager")) {
          jobManagers.add(nodeGroup(group, list, origin));
        } else if (pool.equals("taskmanager")) {
          taskManagers.add(nodeGroup(group, list, origin));
        }
      }
    }
    if (jobManagers.isEmpty() || taskManagers.isEmpty()) {
      throw new UserInputException(
          origin
              + ": needs node groups labelled "
              + POOL_LABEL
              + ": jobmanager and "
              + POOL_LABEL
              + ": taskmanager (found "
              + jobManagers.size()
              + " and "
              + taskManagers.size()
              + "); see eksctl/cluster.yaml");
    }
    NodeGroup jm = jobManagers.get(0);
    if (jm.capacity() != CapacityType.ON_DEMAND) {
      throw new UserInputException(
          origin
              + ": JobManager node group "
              + jm.name()
              + " is Spot: JobManagers belong On-Demand");
    }
    Set<String> spotTypes = new LinkedHashSet<>();
    int volume = 0;
    for (NodeGroup group : taskManagers) {
      spotTypes.addAll(group.instanceTypes());
      volume = Math.max(volume, group.volumeSizeGb());
    }
    CapacityType tmCapacity =
        taskManagers.stream().allMatch(g -> g.capacity() == CapacityType.SPOT)
            ? CapacityType.SPOT
            : CapacityType.ON_DEMAND;
    NodeGroup tm =
        new NodeGroup(
            String.join("+", taskManagers.stream().map(NodeGroup::name).toList()),
            tmCapacity,
            List.copyOf(spotTypes),
            volume);
    return new ClusterNodeGroups(jm, tm, system, system == null ? 0 : systemNodes, origin);
  }

  /**
   * The group's EBS root volume in GiB: a whole number from 1 to 16,384, gp3's largest size
   * (docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html); absent, eksctl's default.
   */
  private static int volumeSize(JsonNode size, String where) {
    if (size.isMissingNode() || size.isNull()) {
      return NodeGroup.DEFAULT_VOLUME_GB;
    }
    if (!size.isIntegralNumber() || !size.canConvertToLong()) {
      throw new UserInputException(
          where + ": volumeSize must be a whole number of GiB, 1 to 16384");
    }
    return Bounds.count(where + ": volumeSize (GiB)", size.asLong(), 1, 16_384);
  }

  private static NodeGroup nodeGroup(JsonNode group, String list, String origin) {
    String name = name(group);
    List<String> types = instanceTypes(group);
    if (types.isEmpty()) {
      throw new UserInputException(
          origin
              + ": "
              + list
              + " "
              + name
              + " has no instanceType(s): list its EC2 instance types");
    }
    int volume = volumeSize(group.path("volumeSize"), origin + ": " + list + " " + name);
    return new NodeGroup(
        name, spot(group) ? CapacityType.SPOT : CapacityType.ON_DEMAND, types, volume);
  }

  // Field accessors on one node group of a ClusterConfig (a JSON tree). The plan package's
  // ClusterConfig rules read groups through these too, so both agree on what a group says.

  /** Managed and self-managed node groups, in file order. */
  public static List<JsonNode> groups(JsonNode config) {
    List<JsonNode> groups = new ArrayList<>();
    GROUP_LISTS.forEach(list -> config.path(list).forEach(groups::add));
    return groups;
  }

  public static String name(JsonNode group) {
    return group.path("name").asText("(unnamed)");
  }

  /** The group's {@code flinkspot.dev/pool} label, or "" when it has none. */
  public static String poolName(JsonNode group) {
    return group.path("labels").path(POOL_LABEL).asText("");
  }

  /** Spot when {@code spot: true} (managed) or no On-Demand above base (self-managed). */
  public static boolean spot(JsonNode group) {
    return group.path("spot").asBoolean(false)
        || group
                .path("instancesDistribution")
                .path("onDemandPercentageAboveBaseCapacity")
                .asInt(100)
            == 0;
  }

  /** instanceTypes, instanceType and instancesDistribution.instanceTypes, in that order. */
  public static List<String> instanceTypes(JsonNode group) {
    List<String> types = new ArrayList<>();
    group.path("instanceTypes").forEach(t -> types.add(t.asText()));
    if (group.hasNonNull("instanceType")) {
      types.add(group.get("instanceType").asText());
    }
    group.path("instancesDistribution").path("instanceTypes").forEach(t -> types.add(t.asText()));
    return types;
  }
}
