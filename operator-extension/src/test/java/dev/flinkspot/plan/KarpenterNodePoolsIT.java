package dev.flinkspot.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.testing.kube.CommandResult;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/karpenter/ (a kustomize Component the shipped-manifests test skips, since a bare API server
 * has no Karpenter CRDs) is accepted by a real API server that has the CRDs of the Karpenter
 * release eksctl/cluster-karpenter.yaml installs, and those CRDs do validate: a NodePool that
 * breaks their schema is refused.
 */
class KarpenterNodePoolsIT {

  @RegisterExtension static final KubeControlPlaneExtension KUBE = new KubeControlPlaneExtension();

  @BeforeAll
  static void installKarpenterCrds() {
    for (var crd : KarpenterCrds.load()) {
      FlinkCrds.apply(KUBE.client(), crd);
    }
  }

  @Test
  void theNodePoolsAndTheNodeClassAreAccepted() {
    CommandResult result = KUBE.kubectl("apply", "--dry-run=server", "-k", "k8s/karpenter");
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.stdout())
        .contains("ec2nodeclass.karpenter.k8s.aws/flinkspot created (server dry run)")
        .contains("nodepool.karpenter.sh/flink-jobmanagers created (server dry run)")
        .contains("nodepool.karpenter.sh/flink-taskmanagers created (server dry run)");
  }

  @Test
  void aNodePoolBreakingKarpentersSchemaIsRefused(@TempDir Path dir) throws Exception {
    Path shipped = RepoRoot.find().resolve("k8s/karpenter/nodepool-taskmanagers.yaml");
    Path broken = dir.resolve("nodepool.yaml");
    Files.writeString(
        broken,
        Files.readString(shipped)
            .replace("consolidationPolicy: WhenEmpty", "consolidationPolicy: Sometimes"));
    CommandResult result = KUBE.kubectl("apply", "--dry-run=server", "-f", broken.toString());
    assertThat(result.ok()).isFalse();
    assertThat(result.stderr()).contains("consolidationPolicy").contains("Sometimes");
  }
}
