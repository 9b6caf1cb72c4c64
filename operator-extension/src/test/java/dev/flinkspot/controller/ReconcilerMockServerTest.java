package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

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
}
