package dev.flinkspot.cost.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.common.UserInputException;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.api.Test;

/** Parallelism and pod shapes as the Flink operator would run a FlinkDeployment. */
class FlinkDeploymentWorkloadsTest {

  private static FlinkDeployment deployment(String yaml) {
    return ManifestReader.parse("test.yaml", yaml).deployments().get(0);
  }

  private static final String REACTIVE =
      """
      apiVersion: flink.apache.org/v1beta1
      kind: FlinkDeployment
      metadata: {name: ticker, namespace: flink}
      spec:
        mode: standalone
        flinkConfiguration:
          scheduler-mode: REACTIVE
          taskmanager.numberOfTaskSlots: "2"
          pipeline.max-parallelism: "%s"
        jobManager: {replicas: 2, resource: {cpu: 1, memory: 2048m}}
        taskManager: {replicas: 4, resource: {cpu: 1.75, memory: 7168m}}
        job: {jarURI: "local:///a.jar", parallelism: 3}
      """;

  @Test
  void reactiveParallelismIsReplicasTimesSlotsNotJobParallelism() {
    FlinkWorkload workload =
        FlinkDeploymentWorkloads.from(deployment(REACTIVE.formatted(720)), OptionalInt.empty());

    assertThat(workload.parallelism()).isEqualTo(8);
    assertThat(workload.taskManagerReplicas()).isEqualTo(4);
    assertThat(workload.jobManagerReplicas()).isEqualTo(2);
    assertThat(workload.taskManager().memoryBytes()).isEqualTo(7168L << 20);
    assertThat(workload.notes()).contains("2 JobManagers (HA) counted");
  }

  @Test
  void reactiveParallelismIsCappedAtMaxParallelism() {
    FlinkWorkload workload =
        FlinkDeploymentWorkloads.from(deployment(REACTIVE.formatted(6)), OptionalInt.empty());

    assertThat(workload.parallelism()).isEqualTo(6);
    assertThat(workload.notes()).anyMatch(n -> n.contains("2 slots idle"));
  }

  @Test
  void nativeModeNeedsParallelismOverSlotsTaskManagers() throws Exception {
    var manifest =
        ManifestReader.read(
            Path.of(getClass().getResource("/manifests/multi-document.yaml").toURI()));
    FlinkWorkload orders =
        FlinkDeploymentWorkloads.from(manifest.deployments().get(0), OptionalInt.empty());

    assertThat(orders.parallelism()).isEqualTo(6);
    assertThat(orders.taskManagerReplicas()).isEqualTo(2); // ceil(6 / 4 slots)
    assertThat(orders.jobManager().memoryBytes()).isEqualTo(2L << 30); // "2Gi", Kubernetes syntax
    assertThat(orders.taskManager().memoryBytes()).isEqualTo(7L << 30); // "7g", Flink syntax
  }

  @Test
  void aSessionClusterNeedsAParallelismFromTheUser() throws Exception {
    var manifest =
        ManifestReader.read(
            Path.of(getClass().getResource("/manifests/multi-document.yaml").toURI()));
    FlinkDeployment session = manifest.deployments().get(1);

    assertThatThrownBy(() -> FlinkDeploymentWorkloads.from(session, OptionalInt.empty()))
        .isInstanceOf(UserInputException.class)
        .hasMessage(
            "FlinkDeployment session: no spec.job and no FlinkSessionJob naming it in this file (a session"
                + " cluster), so its parallelism is unknown: add its FlinkSessionJobs to the file,"
                + " or pass --parallelism N");
    assertThat(FlinkDeploymentWorkloads.from(session, OptionalInt.of(5)).taskManagerReplicas())
        .isEqualTo(5);
  }

  @Test
  void flinkMemorySyntaxWinsOverKubernetesSyntaxAsInTheOperator() {
    assertThat(FlinkMemory.parseBytes("2048m")).isEqualTo(2048L << 20); // MiB, not milli-bytes
    assertThat(FlinkMemory.parseBytes("2g")).isEqualTo(2L << 30);
    assertThat(FlinkMemory.parseBytes("2G")).isEqualTo(2L << 30); // Flink reads G as GiB
    assertThat(FlinkMemory.parseBytes("2Gi")).isEqualTo(2L << 30);
    assertThat(FlinkMemory.parseBytes("1536Mi")).isEqualTo(1536L << 20);
  }

  @Test
  void badFieldsAreNamedWithTheFix() {
    String badMemory = REACTIVE.formatted(720).replace("memory: 7168m", "memory: lots");
    String badSlots = REACTIVE.formatted(720).replace("\"2\"", "\"two\"");
    String noCpu = REACTIVE.formatted(720).replace("{cpu: 1.75, memory: 7168m}", "{memory: 7168m}");

    assertThatThrownBy(
            () -> FlinkDeploymentWorkloads.from(deployment(badMemory), OptionalInt.empty()))
        .hasMessage(
            "FlinkDeployment ticker: spec.taskManager.resource.memory = 'lots' is not a memory size: use e.g. 2048m or 2Gi");
    assertThatThrownBy(
            () -> FlinkDeploymentWorkloads.from(deployment(badSlots), OptionalInt.empty()))
        .hasMessage(
            "FlinkDeployment ticker: spec.flinkConfiguration.taskmanager.numberOfTaskSlots = 'two' is not a whole number: use 1 to 1024");
    assertThatThrownBy(() -> FlinkDeploymentWorkloads.from(deployment(noCpu), OptionalInt.empty()))
        .hasMessageContaining(
            "spec.taskManager.resource.cpu must be a number of vCPUs, more than 0 up to 1024");
  }
}
