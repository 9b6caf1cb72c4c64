package dev.flinkspot.cost.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.CostComparison;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.CostOptions.SelfManagedView;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.nodes.ClusterNodeGroups;
import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The manifest shapes that current Flink operators (1.11+) accept and the 1.10 model does not know:
 * {@code flinkVersion} v2_x, Kubernetes-style {@code resources}, nested {@code flinkConfiguration},
 * session clusters with their FlinkSessionJobs in one file, and a document without apiVersion.
 */
class CurrentOperatorManifestsTest {

  private static final String DEPLOYMENT =
      """
      apiVersion: flink.apache.org/v1beta1
      kind: FlinkDeployment
      metadata: {name: ticker}
      spec:
        flinkVersion: %s
        flinkConfiguration: {taskmanager.numberOfTaskSlots: "2"}
        jobManager: {resource: {cpu: 1, memory: 2048m}}
        taskManager: {resource: {cpu: 2, memory: 4096m}}
        job: {jarURI: "local:///a.jar", parallelism: 6}
      """;

  private static FlinkWorkload workload(String yaml) {
    var manifest = ManifestReader.parse("test.yaml", yaml);
    return FlinkDeploymentWorkloads.from(
        manifest.deployments().get(0),
        manifest.raw(0),
        manifest.sessionJobsOf(0),
        OptionalInt.empty());
  }

  private static CostComparison compare(FlinkWorkload workload) {
    return CostComparison.of(
        workload,
        ClusterNodeGroups.defaults(),
        new CostOptions(
            new BigDecimal("730"), 1, true, false, BigDecimal.ZERO, 1, SelfManagedView.DEDICATED),
        CatalogLoader.builtIn().region("us-east-1"));
  }

  @Test
  void aFlinkTwoTwoManifestCostsTheSameAsTheSameManifestOnOneTwenty() {
    FlinkWorkload v2 = workload(DEPLOYMENT.formatted("v2_2"));
    FlinkWorkload v1 = workload(DEPLOYMENT.formatted("v1_20"));

    assertThat(compare(v2).managed().bill().totalUsd())
        .isEqualByComparingTo(compare(v1).managed().bill().totalUsd());
    assertThat(compare(v2).selfManagedHeadline().totalUsd())
        .isEqualByComparingTo(compare(v1).selfManagedHeadline().totalUsd());
    assertThat(v2.notes())
        .contains(
            "Flink version 2.2 (spec.flinkVersion v2_2); MSF KPU prices are the same for every runtime");
    assertThat(v1.notes()).anyMatch(n -> n.startsWith("Flink version 1.20 "));
    assertThat(v2.notes()).noneMatch(n -> n.startsWith("MSF has no"));
  }

  @Test
  void theTwoTwoExampleCostsWhatTheOneTwentyExampleCosts() throws Exception {
    java.nio.file.Path examples =
        dev.flinkspot.testing.kube.RepoRoot.find().resolve("k8s/examples");
    var one = ManifestReader.read(examples.resolve("stock-ticker.yaml"));
    var two = ManifestReader.read(examples.resolve("stock-ticker-2.2.yaml"));
    CostComparison c1 =
        compare(
            FlinkDeploymentWorkloads.from(
                one.deployments().get(0), one.raw(0), List.of(), OptionalInt.empty()));
    CostComparison c2 =
        compare(
            FlinkDeploymentWorkloads.from(
                two.deployments().get(0), two.raw(0), List.of(), OptionalInt.empty()));

    assertThat(c2.managed().bill()).isEqualTo(c1.managed().bill());
    assertThat(c2.selfManaged()).isEqualTo(c1.selfManaged());
    assertThat(c2.workload().notes()).anyMatch(n -> n.startsWith("Flink version 2.2 "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1_13", "v1_17", "v1_19", "v1_20", "v2_0", "v2_1", "v2_2", "v2_4"})
  void everyVersionAnOperatorKnowsIsRead(String version) {
    assertThat(workload(DEPLOYMENT.formatted(version)).parallelism()).isEqualTo(6);
  }

  @Test
  void aVersionMsfHasNoRuntimeForIsNamedInANote() {
    assertThat(workload(DEPLOYMENT.formatted("v2_1")).notes())
        .contains(
            "MSF has no Flink 2.1 runtime (it offers 1.13, 1.15, 1.18, 1.19, 1.20, 2.2): the MSF"
                + " side assumes the same job on the nearest runtime");
    assertThat(workload(DEPLOYMENT.formatted("v1_17")).notes())
        .anyMatch(n -> n.startsWith("MSF has no Flink 1.17 runtime"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1_12", "v3_0", "2.2", "latest"})
  void aVersionNoOperatorAcceptsIsRefusedNamingTheField(String version) {
    assertThatThrownBy(() -> ManifestReader.parse("x.yaml", DEPLOYMENT.formatted(version)))
        .isInstanceOf(UserInputException.class)
        .hasMessage(
            "x.yaml: document 1 (FlinkDeployment ticker): spec.flinkVersion = '"
                + version
                + "' is not a Flink version the Flink operator accepts: use v1_13 .. v1_20 or v2_0"
                + " .. v2_N (e.g. v1_20, v2_2)");
  }

  @Test
  void theRawDocumentKeepsWhatTheModelCannotHold() {
    var manifest = ManifestReader.parse("x.yaml", DEPLOYMENT.formatted("v2_2"));
    assertThat(manifest.deployments().get(0).getSpec().getFlinkVersion()).isNull();
    assertThat(manifest.raw(0).path("spec").path("flinkVersion").asText()).isEqualTo("v2_2");
  }

  private static final String REQUESTS =
      """
      apiVersion: flink.apache.org/v1beta1
      kind: FlinkDeployment
      metadata: {name: hpa}
      spec:
        flinkVersion: v2_2
        jobManager:
          resources: {requests: {cpu: 500m, memory: 2Gi}}
        taskManager:
          %s
        job: {jarURI: "local:///a.jar", parallelism: 2}
      """;

  @Test
  void kubernetesStyleRequestsSizeThePods() {
    FlinkWorkload w =
        workload(REQUESTS.formatted("resources: {requests: {cpu: \"2\", memory: 4096m}}"));

    assertThat(w.jobManager().cpu()).isEqualByComparingTo("0.5");
    assertThat(w.jobManager().memoryBytes()).isEqualTo(2L << 30);
    assertThat(w.taskManager().cpu()).isEqualByComparingTo("2");
    assertThat(w.taskManager().memoryBytes()).isEqualTo(4096L << 20);
  }

  @Test
  void resourcesWinOverResourceAndLimitsStandInForMissingRequests() {
    FlinkWorkload w =
        workload(
            REQUESTS.formatted(
                "{resource: {cpu: 8, memory: 32g}, resources: {requests: {cpu: 1}, limits: {cpu: 3,"
                    + " memory: 3Gi}}}"));

    assertThat(w.taskManager().cpu()).isEqualByComparingTo("1");
    assertThat(w.taskManager().memoryBytes()).isEqualTo(3L << 30);
  }

  @Test
  void emptyResourcesFallBackToResource() {
    FlinkWorkload w =
        workload(REQUESTS.formatted("{resource: {cpu: 8, memory: 32g}, resources: {}}"));

    assertThat(w.taskManager().cpu()).isEqualByComparingTo("8");
  }

  @Test
  void aMissingRequestNamesTheField() {
    assertThatThrownBy(() -> workload(REQUESTS.formatted("resources: {requests: {cpu: 1}}")))
        .isInstanceOf(UserInputException.class)
        .hasMessage(
            "FlinkDeployment hpa: spec.taskManager.resources.requests.memory is missing: set it"
                + " (e.g. 2048m or 2Gi)");
  }

  @Test
  void nestedFlinkConfigurationIsReadAsDottedKeys() {
    var manifest =
        ManifestReader.parse(
            "x.yaml",
            """
            apiVersion: flink.apache.org/v1beta1
            kind: FlinkDeployment
            metadata: {name: nested}
            spec:
              flinkVersion: v2_2
              flinkConfiguration:
                taskmanager: {numberOfTaskSlots: 4}
                state: {checkpoints.dir: "s3://b/c"}
                env.java.opts: [-Da, -Db]
              jobManager: {resource: {cpu: 1, memory: 2048m}}
              taskManager: {resource: {cpu: 1, memory: 2048m}}
              job: {jarURI: "local:///a.jar", parallelism: 8}
            """);
    assertThat(manifest.deployments().get(0).getSpec().getFlinkConfiguration())
        .containsEntry("taskmanager.numberOfTaskSlots", "4")
        .containsEntry("state.checkpoints.dir", "s3://b/c")
        .containsEntry("env.java.opts", "-Da;-Db");
    FlinkWorkload w =
        FlinkDeploymentWorkloads.from(
            manifest.deployments().get(0),
            manifest.raw(0),
            manifest.sessionJobsOf(0),
            OptionalInt.empty());
    assertThat(w.taskManagerReplicas()).isEqualTo(2);
  }

  private static String sessionJob(String name, String cluster, String job) {
    return """
        ---
        apiVersion: flink.apache.org/v1beta1
        kind: FlinkSessionJob
        metadata: {name: %s}
        spec:
          deploymentName: %s
          job: {jarURI: "https://example/a.jar", %s}
        """
        .formatted(name, cluster, job);
  }

  private static final String SESSION =
      """
      apiVersion: flink.apache.org/v1beta1
      kind: FlinkDeployment
      metadata: {name: session}
      spec:
        flinkVersion: v2_2
        jobManager: {resources: {requests: {cpu: "1", memory: 2048m}}}
        taskManager: {resources: {requests: {cpu: "1", memory: 2048m}}}
      """
          + sessionJob("first", "session", "parallelism: 4")
          + sessionJob("second", "session", "parallelism: 2")
          + sessionJob("elsewhere", "other-cluster", "parallelism: 9");

  @Test
  void sessionJobsArePricedAsOneMsfApplicationEachOnTheirSharedCluster() {
    var manifest = ManifestReader.parse("s.yaml", SESSION);
    FlinkWorkload w =
        FlinkDeploymentWorkloads.from(
            manifest.deployments().get(0),
            manifest.raw(0),
            manifest.sessionJobsOf(0),
            OptionalInt.empty());
    CostComparison c = compare(w);

    // EKS: one cluster with slots for 4 + 2; MSF: two applications, 4+1 and 2+1 KPUs.
    assertThat(w.parallelism()).isEqualTo(6);
    assertThat(w.taskManagerReplicas()).isEqualTo(6);
    assertThat(w.msfApplicationParallelisms()).containsExactly(4, 2);
    assertThat(c.managed().applicationKpus()).isEqualTo(6);
    assertThat(c.managed().billedKpus()).isEqualTo(8);
    assertThat(c.managed().bill().title()).isEqualTo("MSF (2 applications)");
    assertThat(c.managed().bill().totalUsd())
        .isEqualByComparingTo(
            compare(
                    workload(
                        DEPLOYMENT.formatted("v2_2").replace("parallelism: 6", "parallelism: 4")))
                .managed()
                .bill()
                .totalUsd()
                .add(
                    compare(
                            workload(
                                DEPLOYMENT
                                    .formatted("v2_2")
                                    .replace("parallelism: 6", "parallelism: 2")))
                        .managed()
                        .bill()
                        .totalUsd()));
    assertThat(manifest.skipped())
        .containsExactly(
            "FlinkSessionJob elsewhere: its session cluster 'other-cluster' (spec.deploymentName,"
                + " same namespace) is not in this file; put both in one file to price it");
  }

  @Test
  void aSessionJobInAnotherNamespaceIsNotTheClustersButIsListed() {
    String yaml =
        SESSION.replace("metadata: {name: second}", "metadata: {name: second, namespace: other}");
    var manifest = ManifestReader.parse("s.yaml", yaml);

    assertThat(manifest.sessionJobsOf(0))
        .extracting(j -> j.path("metadata").path("name").asText())
        .containsExactly("first");
    assertThat(manifest.skipped()).anyMatch(m -> m.startsWith("FlinkSessionJob second: "));
  }

  @Test
  void aSessionJobWithoutParallelismIsNamed() {
    String yaml = SESSION.replace("parallelism: 2}", "entryClass: x}");
    assertThatThrownBy(() -> workload(yaml))
        .isInstanceOf(UserInputException.class)
        .hasMessage(
            "FlinkDeployment session: FlinkSessionJob second: spec.job.parallelism is not set: set"
                + " it, or pass --parallelism N");
  }

  @Test
  void anOperatorCanaryIsSkippedSayingWhy() {
    var manifest =
        ManifestReader.parse(
            "canary.yaml",
            "apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nmetadata:\n  name: canary\n"
                + "  labels: {flink.apache.org/canary: \"true\"}\n---\n"
                + DEPLOYMENT.formatted("v2_2"));

    assertThat(manifest.skipped())
        .containsExactly(
            "document 1 (FlinkDeployment canary): a canary of the Flink operator's health check,"
                + " not a job");
    assertThat(manifest.deployments()).hasSize(1);
  }

  @Test
  void aDocumentWithoutApiVersionSaysSo() {
    var manifest =
        ManifestReader.parse(
            "pvc.yaml",
            "kind: FlinkDeployment\nmetadata: {name: pvc}\nspec: {}\n---\n"
                + DEPLOYMENT.formatted("v1_20"));

    assertThat(manifest.skipped())
        .containsExactly(
            "document 1 (FlinkDeployment pvc): apiVersion is missing: add apiVersion:"
                + " flink.apache.org/v1beta1");
    assertThat(manifest.deployments()).hasSize(1);
  }
}
