package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.cost.live.FlinkPods;
import dev.flinkspot.desired.DesiredDeployment;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.scaling.ReactiveForm;
import dev.flinkspot.testing.kube.TestPods;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the informers keep: every field a loop reads, and not the bulk it never reads. */
class CachesTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void aPodKeepsWhatTheCostReportAndTheNoticesReadAndDropsItsEnvironment() {
    Pod full =
        TestPods.flink("flink", "t-1", "ticker", "taskmanager", FlinkPods.NATIVE, "n1", "2", "4Gi");
    full.getMetadata().setManagedFields(List.of(new ManagedFieldsEntry()));
    full.getMetadata().setAnnotations(Map.of("big", "x".repeat(10_000)));
    full.getSpec()
        .getContainers()
        .get(0)
        .setEnv(List.of(new EnvVar("SECRET_TOKEN", "hunter2", null)));
    full.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
    full.getStatus().setPhase("Running");
    full.getStatus().setConditions(List.of(new PodCondition()));
    var observedBefore = FlinkPods.observe(full);
    String before = SERIALIZATION.asJson(full);

    Pod cached = Caches.pod(full);

    assertThat(FlinkPods.observe(cached)).isEqualTo(observedBefore);
    assertThat(FlinkPods.deploymentOf(cached)).contains("ticker");
    assertThat(Caches.nodeOf(cached)).containsExactly("n1");
    assertThat(cached.getMetadata().getLabels()).containsEntry("component", "taskmanager");
    String after = SERIALIZATION.asJson(cached);
    assertThat(after).doesNotContain("hunter2", "managedFields", "flink:1.20", "conditions");
    assertThat(after.length()).isLessThan(before.length() / 10);
  }

  @Test
  void aDeploymentKeepsItsSpecAndTheDeployedModeButNotTheOperatorsCopyOfTheSpec() {
    var json = PolicyFixtures.deployment("");
    String lastReconciled =
        "{\"spec\":" + json.path("spec").toString() + ",\"resource_metadata\":{}}";
    json.putObject("status")
        .put("lifecycleState", "STABLE")
        .putObject("reconciliationStatus")
        .put("lastReconciledSpec", lastReconciled);
    var d = SERIALIZATION.convertValue(json, GenericKubernetesResource.class);
    d.getMetadata().setManagedFields(List.of(new ManagedFieldsEntry()));
    d.getMetadata()
        .setAnnotations(new java.util.HashMap<>(Map.of(Caches.LAST_APPLIED, "{...}", "team", "a")));

    GenericKubernetesResource cached = Caches.deployment(d);
    JsonNode raw = SERIALIZATION.convertValue(cached, JsonNode.class);

    assertThat(raw.path("spec")).isEqualTo(json.path("spec"));
    assertThat(cached.getAdditionalProperties().get("spec"))
        .isInstanceOf(Map.class)
        .isNotInstanceOf(java.util.LinkedHashMap.class);
    assertThat(ReactiveForm.deployedMode(raw)).isEqualTo(ReactiveForm.deployedMode(json));
    assertThat(DesiredDeployment.notYetDeployed(raw)).isFalse();
    assertThat(raw.path("metadata").has("managedFields")).isFalse();
    assertThat(raw.path("metadata").path("annotations").fieldNames())
        .toIterable()
        .containsExactly("team");
    assertThat(raw.path("status").has("lifecycleState")).isFalse();
  }

  @Test
  void aDeploymentTheOperatorHasNotDeployedStaysNotDeployed() {
    var d =
        SERIALIZATION.convertValue(PolicyFixtures.deployment(""), GenericKubernetesResource.class);
    d.getAdditionalProperties().put("status", Map.of("lifecycleState", "CREATED"));
    JsonNode raw = SERIALIZATION.convertValue(Caches.deployment(d), JsonNode.class);
    assertThat(DesiredDeployment.notYetDeployed(raw)).isTrue();
    assertThat(ReactiveForm.deployedMode(raw)).isEmpty();
  }

  @Test
  void aCompactedTreeReadsTheSameAndKeepsItsNulls() {
    var json =
        SERIALIZATION.unmarshal(
            "{\"a\":{\"b\":[1,\"x\",{\"c\":null}],\"d\":true,\"e\":2.5},\"f\":[]}", Map.class);
    Object compacted = Caches.compact(json);
    assertThat(SERIALIZATION.convertValue(compacted, JsonNode.class))
        .isEqualTo(SERIALIZATION.convertValue(json, JsonNode.class));
    assertThat(((Map<?, ?>) compacted).get("f")).isEqualTo(List.of());
  }
}
