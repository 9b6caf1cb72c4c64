package dev.flinkspot.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.policy.PolicyFixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The operator's standalone factories render what the scheduling ITs then apply. */
class StandaloneFlinkWorkloadsTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void rendersTheStockTickerLikeTheOperatorInStandaloneMode() throws Exception {
    ObjectNode d =
        (ObjectNode)
            PolicyFixtures.YAML.readTree(
                Files.readString(RepoRoot.find().resolve("k8s/examples/stock-ticker.yaml")));
    ((ObjectNode) d.get("metadata")).put("uid", "0b8c5f0e-0000-4000-8000-000000000001");
    ((ObjectNode) d.get("spec")).put("image", "flink:1.20");
    // A placed TaskManager template and a top-level one (merged by position, like the operator).
    ((ObjectNode) d.get("spec"))
        .set(
            "podTemplate",
            PolicyFixtures.json(
                "spec: {containers: [{name: flink-main-container, env: [{name: A, value: b}]}]}"));
    ((ObjectNode) d.path("spec").path("taskManager"))
        .set(
            "podTemplate",
            PolicyFixtures.json(
                "spec: {tolerations: [{key: flinkspot.dev/pool, operator: Equal, value: taskmanager,"
                    + " effect: NoSchedule}]}"));

    var rendered = StandaloneFlinkWorkloads.render(d, SERIALIZATION);

    Deployment jm = rendered.jobManager();
    assertThat(jm.getMetadata().getName()).isEqualTo("stock-ticker");
    assertThat(jm.getMetadata().getNamespace()).isEqualTo("flink");
    assertThat(jm.getSpec().getReplicas()).isEqualTo(2);
    assertThat(jm.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app", "stock-ticker")
        .containsEntry("component", "jobmanager")
        .containsEntry("type", "flink-standalone-kubernetes");
    assertThat(jm.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("FlinkDeployment"));
    Container jmMain = main(jm);
    assertThat(jmMain.getResources().getRequests())
        .containsEntry("cpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("2048Mi"));
    assertThat(jmMain.getStartupProbe().getHttpGet().getPath()).isEqualTo("/config");
    assertThat(jmMain.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("A"));

    Deployment tm = rendered.taskManager();
    assertThat(tm.getMetadata().getName()).isEqualTo("stock-ticker-taskmanager");
    assertThat(tm.getSpec().getReplicas()).isEqualTo(4);
    assertThat(tm.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app", "stock-ticker")
        .containsEntry("component", "taskmanager")
        .containsEntry("type", "flink-standalone-kubernetes");
    assertThat(tm.getSpec().getTemplate().getSpec().getTolerations())
        .anySatisfy(t -> assertThat(t.getValue()).isEqualTo("taskmanager"));
    assertThat(tm.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("flink");
    Container tmMain = main(tm);
    assertThat(tmMain.getImage()).isEqualTo("flink:1.20");
    assertThat(tmMain.getResources().getRequests())
        .containsEntry("cpu", new Quantity("1.75"))
        .containsEntry("memory", new Quantity("7168Mi"));
    assertThat(tmMain.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("A"));
    assertThat(rendered.accompanying()).isNotEmpty();
  }

  private static Container main(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> "flink-main-container".equals(c.getName()))
        .findFirst()
        .orElseThrow();
  }
}
