package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconcile scenarios on Fabric8's mock API server (CRUD mode), counting writes. */
@EnableKubernetesMockClient(crud = true)
class ReconcilerMockServerTest {

  KubernetesMockServer server;
  KubernetesClient client;
  PlacementScenarios scenarios;

  @BeforeEach
  void setUp() {
    scenarios = new PlacementScenarios(client);
  }

  /** PATCH/PUT requests to FlinkDeployments (not their status) since the last call. */
  private List<String> deploymentWrites() throws InterruptedException {
    List<String> writes = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      boolean write = r.getMethod().equals("PATCH") || r.getMethod().equals("PUT");
      if (write && r.getPath().contains("/flinkdeployments/") && !r.getPath().contains("/status")) {
        writes.add(r.getMethod() + " " + r.getPath());
      }
    }
    return writes;
  }

  @Test
  void newDeploymentIsPlacedOnceThenLeftAlone() throws Exception {
    scenarios.newDeploymentIsPlacedOnceThenLeftAlone();
  }

  /** A new deployment under {@code policySpec}: one PATCH, then none in three more passes. */
  private void oneWriteThenNone(String policySpec, String deploymentSpec) throws Exception {
    scenarios.createPolicy("spot-taskmanagers", policySpec);
    scenarios.createDeployment("fresh", deploymentSpec, false);
    deploymentWrites();

    scenarios.controller().settle(PlacementScenarios.NS);
    assertThat(deploymentWrites()).singleElement().asString().startsWith("PATCH");
    for (int i = 0; i < 3; i++) {
      scenarios.controller().settle(PlacementScenarios.NS);
    }
    assertThat(deploymentWrites()).isEmpty();
  }

  @Test
  void fixedPointMakesZeroWrites() throws Exception {
    oneWriteThenNone(dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS, "");
  }

  @Test
  void existingDeploymentIsNotRepairedWithoutPermission() throws Exception {
    scenarios.existingDeploymentIsNotRepairedWithoutPermission();
    assertThat(deploymentWrites()).isEmpty();
  }

  @Test
  void existingDeploymentIsRepairedInOneWriteWhenAllowed() throws Exception {
    scenarios.existingDeploymentIsRepairedInOneWriteWhenAllowed();
    assertThat(deploymentWrites()).hasSize(1);
  }

  @Test
  void missingPolicyLeavesTheDeploymentAlone() throws Exception {
    scenarios.missingPolicyLeavesTheDeploymentAlone();
    assertThat(deploymentWrites()).isEmpty();
  }

  @Test
  void conflictingUserPlacementIsLeftAsWritten() throws Exception {
    scenarios.conflictingUserPlacementIsLeftAsWritten();
    assertThat(deploymentWrites()).isEmpty();
  }

  @Test
  void invalidPolicyIsMarkedAndItsDeploymentsKeepTheirPlacement() {
    scenarios.invalidPolicyIsMarkedAndItsDeploymentsKeepTheirPlacement();
  }

  @Test
  void policyStatusListsGovernedDeploymentsAndIsWrittenOnlyOnChange() {
    scenarios.policyStatusListsGovernedDeploymentsAndIsWrittenOnlyOnChange();
  }

  @Test
  void newScaledDeploymentIsPlacedAndDefaultedOnceThenLeftAlone() {
    scenarios.newScaledDeploymentIsPlacedAndDefaultedOnceThenLeftAlone();
  }

  @Test
  void scaledFixedPointMakesZeroWrites() throws Exception {
    oneWriteThenNone(PlacementScenarios.SCALING, PlacementScenarios.JOB);
  }

  @Test
  void deployedNativeDeploymentGetsPlacementButNoModeChange() throws Exception {
    scenarios.deployedNativeDeploymentGetsPlacementButNoModeChange();
  }

  /**
   * PlacementStep skips the HPA step when the placement write lost a race: the deployment it was
   * handed is stale, so an HPA decided from it could be wrong. The retry, on a fresh read, runs
   * both steps.
   */
  @Test
  void staleDeploymentRetriesPlacementAndSkipsTheHpaStep() {
    var policy = scenarios.createPolicy("spot-taskmanagers", PlacementScenarios.SCALING);
    scenarios.controller().index.put(policy);
    var stale = scenarios.createDeployment("reactive", PlacementScenarios.JOB, false);
    FlinkDeployments.in(client)
        .inNamespace(PlacementScenarios.NS)
        .withName("reactive")
        .edit(
            d -> {
              d.getMetadata().getLabels().put("moved", "on");
              return d;
            });
    // The mock server's CRUD mode does not answer a JSON Patch whose test fails (the request
    // times out), so it answers once as kube-apiserver does for our stale resourceVersion test:
    // 422 with this message (RefusedRepairBackoffIT.aStaleJsonPatchIsALostRaceNotARefusal).
    server
        .expect()
        .patch()
        .withPath("/apis/flink.apache.org/v1beta1/namespaces/flink/flinkdeployments/reactive")
        .andReturn(
            422,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(422)
                .withMessage("the server rejected our request due to an error in our request")
                .build())
        .once();
    var hpas =
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(PlacementScenarios.NS);

    var skipped = scenarios.controller().deployments.reconcile(stale);

    assertThat(skipped.placement()).isEqualTo(FlinkDeploymentReconciler.Result.RETRY);
    assertThat(skipped.hpa()).isNull();
    assertThat(skipped.retry()).isTrue();
    assertThat(hpas.list().getItems()).isEmpty();
    assertThat(scenarios.reasonsFor("reactive")).doesNotContain("HpaCreated");

    var retried = scenarios.controller().deployments.reconcile(scenarios.get("reactive"));

    assertThat(retried.placement()).isEqualTo(FlinkDeploymentReconciler.Result.REPAIRED);
    assertThat(retried.hpa()).isEqualTo(HpaReconciler.Result.CREATED);
    assertThat(hpas.list().getItems()).hasSize(1);
  }
}
