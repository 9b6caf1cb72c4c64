package dev.flinkspot.cost.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.common.UserInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Node groups read from an eksctl ClusterConfig by their flinkspot.dev/pool label. */
class EksctlNodeGroupsTest {

  @Test
  void readsTheJobManagerGroupAndPoolsAllTaskManagerGroups() throws Exception {
    ClusterNodeGroups groups =
        EksctlNodeGroups.read(
            Path.of(getClass().getResource("/manifests/eksctl-cluster.yaml").toURI()));

    assertThat(groups.jobManagers().capacity()).isEqualTo(CapacityType.ON_DEMAND);
    assertThat(groups.jobManagers().instanceTypes()).containsExactly("m5.xlarge");
    assertThat(groups.jobManagers().volumeSizeGb()).isEqualTo(40);
    assertThat(groups.taskManagers().capacity()).isEqualTo(CapacityType.SPOT);
    assertThat(groups.taskManagers().instanceTypes())
        .containsExactly("m5.2xlarge", "m6i.2xlarge", "m5a.2xlarge", "m6a.2xlarge", "m7i.2xlarge");
    assertThat(groups.taskManagers().volumeSizeGb()).isEqualTo(100);
  }

  @Test
  void theShippedClusterIsTheBuiltInDefaultWithItsSystemGroup() {
    ClusterNodeGroups shipped =
        EksctlNodeGroups.read(
            dev.flinkspot.testing.kube.RepoRoot.find().resolve("eksctl/cluster.yaml"));
    ClusterNodeGroups defaults = ClusterNodeGroups.defaults();

    assertThat(shipped.system().instanceTypes()).containsExactly("m5.large");
    assertThat(shipped.system().volumeSizeGb()).isEqualTo(50);
    assertThat(shipped.systemNodes()).isEqualTo(2); // desiredCapacity
    assertThat(defaults.system()).isEqualTo(shipped.system());
    assertThat(defaults.systemNodes()).isEqualTo(shipped.systemNodes());
    // "as in eksctl/cluster.yaml": same types and root volumes
    assertThat(defaults.jobManagers().instanceTypes())
        .isEqualTo(shipped.jobManagers().instanceTypes());
    assertThat(defaults.jobManagers().volumeSizeGb())
        .isEqualTo(shipped.jobManagers().volumeSizeGb());
    assertThat(defaults.taskManagers().instanceTypes())
        .containsExactlyInAnyOrderElementsOf(shipped.taskManagers().instanceTypes());
    assertThat(defaults.taskManagers().volumeSizeGb())
        .isEqualTo(shipped.taskManagers().volumeSizeGb());
  }

  @Test
  void aGroupNamedSystemIsTheSystemGroupAndWithoutOneThereIsNone() throws Exception {
    ClusterNodeGroups named =
        EksctlNodeGroups.read(
            Path.of(getClass().getResource("/manifests/eksctl-cluster.yaml").toURI()));
    assertThat(named.system().instanceTypes()).containsExactly("m5.large");
    assertThat(named.system().volumeSizeGb()).isEqualTo(NodeGroup.DEFAULT_VOLUME_GB);
    assertThat(named.systemNodes()).isEqualTo(2);

    ClusterNodeGroups none =
        EksctlNodeGroups.fromConfig(
            new YAMLMapper()
                .readTree(
                    """
                    kind: ClusterConfig
                    managedNodeGroups:
                      - {name: jm, instanceType: m5.large, labels: {flinkspot.dev/pool: jobmanager}}
                      - {name: tm, spot: true, instanceTypes: [m5.xlarge], labels: {flinkspot.dev/pool: taskmanager}}
                    """),
            "test");
    assertThat(none.system()).isNull();
    assertThat(none.systemNodes()).isZero();
  }

  @Test
  void aConfigWithoutLabelledGroupsSaysWhichLabelIsMissing() throws Exception {
    var config =
        new YAMLMapper()
            .readTree(
                """
                apiVersion: eksctl.io/v1alpha5
                kind: ClusterConfig
                managedNodeGroups:
                  - name: ng
                    instanceType: m5.large
                """);

    assertThatThrownBy(() -> EksctlNodeGroups.fromConfig(config, "--eksctl c.yaml"))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("flinkspot.dev/pool: jobmanager")
        .hasMessageContaining("found 0 and 0");
  }

  @Test
  void aSpotJobManagerGroupIsRejected() throws Exception {
    var config =
        new YAMLMapper()
            .readTree(
                """
                kind: ClusterConfig
                managedNodeGroups:
                  - {name: jm, spot: true, instanceTypes: [m5.large], labels: {flinkspot.dev/pool: jobmanager}}
                  - {name: tm, spot: true, instanceTypes: [m5.xlarge], labels: {flinkspot.dev/pool: taskmanager}}
                """);

    assertThatThrownBy(() -> EksctlNodeGroups.fromConfig(config, "--eksctl c.yaml"))
        .hasMessageContaining("JobManager node group jm is Spot");
  }
}
