package dev.flinkspot.cost.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
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
    for (String list : List.of("managedNodeGroups", "nodeGroups")) {
      for (JsonNode group : config.path(list)) {
        String pool = group.path("labels").path(POOL_LABEL).asText("");
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

  private static NodeGroup nodeGroup(JsonNode group, String list, String origin) {
    String name = group.path("name").asText("(unnamed)");
    List<String> types = new ArrayList<>();
    group.path("instanceTypes").forEach(t -> types.add(t.asText()));
    if (group.hasNonNull("instanceType")) {
      types.add(group.get("instanceType").asText());
    }
    group.path("instancesDistribution").path("instanceTypes").forEach(t -> types.add(t.asText()));
    if (types.isEmpty()) {
      throw new UserInputException(
          origin
              + ": "
              + list
              + " "
              + name
              + " has no instanceType(s): list its EC2 instance types");
    }
    boolean spot =
        group.path("spot").asBoolean(false)
            || group
                    .path("instancesDistribution")
                    .path("onDemandPercentageAboveBaseCapacity")
                    .asInt(100)
                == 0;
    int volume = group.path("volumeSize").asInt(NodeGroup.DEFAULT_VOLUME_GB);
    return new NodeGroup(name, spot ? CapacityType.SPOT : CapacityType.ON_DEMAND, types, volume);
  }
}
