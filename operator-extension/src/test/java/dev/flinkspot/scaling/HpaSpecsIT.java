package dev.flinkspot.scaling;

import static dev.flinkspot.scaling.ScalingFixtures.TWO_TO_TEN;
import static dev.flinkspot.scaling.ScalingFixtures.policy;
import static dev.flinkspot.scaling.ScalingFixtures.reactiveDeployment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scaling decisions against a real kube-apiserver with the Flink CRDs: the defaulted
 * FlinkDeployment passes the CRD schema, the desired HPA is accepted as built, and the HPA the
 * server returns (defaults, canonical quantities, server metadata) is not seen as drift, while an
 * edit of an owned field is.
 */
class HpaSpecsIT {

  private static final String NAMESPACE = "default";

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      KubeControlPlaneExtension.installing(FlinkCrds::install);

  private static final ScalingPolicy KAFKA_LAG =
      policy(
          TWO_TO_TEN
              + """
              metrics:
                - type: External
                  external:
                    metric:
                      name: kafka_consumergroup_lag_sum
                      selector: {matchLabels: {consumergroup: ticker}}
                    target: {type: AverageValue, averageValue: "1000"}
              """);

  @Test
  void theServerKeepsEveryFieldWeOwnAndAddsNothingThatLooksLikeDrift() {
    KubernetesClient client = KUBE.client();
    JsonNode deployment = create(client, "hpa-drift", reactiveDeployment());
    HorizontalPodAutoscaler desired = HpaSpecs.desired(ScaleTarget.of(deployment), KAFKA_LAG).hpa();

    client.resource(desired).create();
    HorizontalPodAutoscaler observed = hpa(client, "hpa-drift").get();

    assertThat(observed.getMetadata().getUid()).isNotBlank();
    assertThat(HpaSpecs.needsUpdate(desired, observed)).isFalse();
    assertThat(observed.getSpec().getMetrics().get(1).getExternal().getTarget().getAverageValue())
        .as("the server rewrites 1000 in canonical form")
        .hasToString("1k");

    hpa(client, "hpa-drift")
        .edit(
            h -> {
              h.getSpec().setMaxReplicas(40);
              return h;
            });
    assertThat(HpaSpecs.needsUpdate(desired, hpa(client, "hpa-drift").get())).isTrue();

    client.resource(desired).update();
    assertThat(HpaSpecs.needsUpdate(desired, hpa(client, "hpa-drift").get())).isFalse();
  }

  @Test
  void theDefaultedDeploymentPassesTheFlinkCrdSchema() {
    KubernetesClient client = KUBE.client();
    ObjectNode bare = ScalingFixtures.deployment("");
    ObjectNode defaulted = ReactiveDefaults.apply(bare, policy(TWO_TO_TEN)).defaulted();

    JsonNode created = create(client, "defaulted", defaulted);

    assertThat(created.path("spec").path("mode").asText()).isEqualTo("standalone");
    assertThat(created.path("spec").path("flinkConfiguration"))
        .isEqualTo(defaulted.path("spec").path("flinkConfiguration"));
    assertThat(ReactiveDefaults.apply(created, policy(TWO_TO_TEN)).changed())
        .as("what the server stored needs no second pass")
        .isFalse();
  }

  private static JsonNode create(KubernetesClient client, String name, ObjectNode deployment) {
    ObjectNode d = deployment.deepCopy();
    ObjectNode metadata = (ObjectNode) d.get("metadata");
    metadata.put("name", name).put("namespace", NAMESPACE).remove("uid");
    var serialization = client.getKubernetesSerialization();
    var resource = serialization.unmarshal(d.toString(), GenericKubernetesResource.class);
    var created =
        client
            .genericKubernetesResources("flink.apache.org/v1beta1", "FlinkDeployment")
            .inNamespace(NAMESPACE)
            .resource(resource)
            .create();
    return ScalingFixtures.json(serialization.asJson(created));
  }

  private static Resource<HorizontalPodAutoscaler> hpa(KubernetesClient client, String name) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(NAMESPACE)
        .withName(name);
  }
}
