package dev.flinkspot.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.flinkspot.testing.kube.CommandResult;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.ManifestTree;
import dev.flinkspot.testing.kube.ManifestTree.ManifestSet;
import dev.flinkspot.testing.kube.PrometheusOperatorCrds;
import dev.flinkspot.testing.kube.RepoRoot;
import dev.flinkspot.testing.kube.TestCluster;
import dev.flinkspot.testing.kube.TestNamespaces;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every manifest we ship is accepted by a real API server: the CRDs of the Flink operator release
 * k8s/addons pins ({@link FlinkCrds}) are created, then every manifest set under {@code k8s/}
 * (kustomizations and plain YAML, found by walking the tree) passes {@code kubectl apply
 * --dry-run=server}, the command users run minus the effect; k8s/monitoring against the Prometheus
 * Operator CRDs of the pinned release. CRDs and Namespaces the manifests declare or use are created
 * for real first, so custom resources and namespaced objects can be validated in one pass.
 */
abstract class ShippedManifestsScenario {

  private final TestCluster cluster;
  private final Map<ManifestSet, List<HasMetadata>> rendered = new HashMap<>();

  protected ShippedManifestsScenario(TestCluster cluster) {
    this.cluster = cluster;
  }

  private KubernetesClient client() {
    return cluster.client();
  }

  @TestFactory
  Stream<DynamicTest> everyShippedManifestIsAcceptedByTheApiServer() {
    Path root = RepoRoot.find();
    List<ManifestSet> sets = ManifestTree.scan(root);
    assertThat(sets).as("manifest sets under k8s/").isNotEmpty();
    List<DynamicTest> tests = new ArrayList<>();
    for (FlinkCrds.Crd crd : FlinkCrds.shipped()) {
      tests.add(
          dynamicTest(
              "Flink operator CRD " + crd.entry() + " is created",
              () -> assertThat(FlinkCrds.apply(client(), crd.definition())).isNotNull()));
    }
    tests.add(
        dynamicTest(
            "Prometheus Operator CRDs (pinned in tools/prometheus-operator) are created",
            () -> PrometheusOperatorCrds.load().forEach(crd -> FlinkCrds.apply(client(), crd))));
    tests.add(
        dynamicTest(
            "CRDs and Namespaces used under k8s/ are created", () -> createPrerequisites(sets)));
    for (ManifestSet set : sets) {
      tests.add(dynamicTest("kubectl apply --dry-run=server " + set, () -> assertAccepted(set)));
    }
    return tests.stream();
  }

  private void assertAccepted(ManifestSet set) throws IOException {
    Set<String> unknown = new TreeSet<>();
    for (HasMetadata object : rendered(set)) {
      if (!served(object.getApiVersion(), object.getKind())) {
        unknown.add(object.getApiVersion() + " " + object.getKind());
      }
    }
    // A custom resource whose CRD is neither ours (k8s/) nor the Flink operator's: say so.
    Assumptions.assumeTrue(
        unknown.isEmpty(), () -> set + " not validated: the API server has no CRD for " + unknown);
    List<String> args = new ArrayList<>(List.of("apply", "--dry-run=server"));
    args.addAll(set.selector());
    CommandResult result = cluster.kubectl(args.toArray(String[]::new));
    assertThat(result.ok()).as(result.describe()).isTrue();
  }

  /** Namespaces first, then CRDs; every CRD the server rejects is reported, not just the first. */
  private void createPrerequisites(List<ManifestSet> sets) throws IOException {
    Set<String> namespaces = new TreeSet<>();
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (ManifestSet set : sets) {
      for (HasMetadata object : rendered(set)) {
        if (object instanceof CustomResourceDefinition crd) {
          crds.add(crd);
        } else if ("Namespace".equals(object.getKind())) {
          namespaces.add(object.getMetadata().getName());
        } else if (object.getMetadata().getNamespace() != null) {
          namespaces.add(object.getMetadata().getNamespace());
        }
      }
    }
    TestNamespaces.apply(client(), namespaces.toArray(String[]::new));
    List<String> rejected = new ArrayList<>();
    for (CustomResourceDefinition crd : crds) {
      try {
        FlinkCrds.apply(client(), crd);
      } catch (KubernetesClientException e) {
        rejected.add(crd.getMetadata().getName() + ": " + e.getStatus().getMessage());
      }
    }
    assertThat(rejected).as("CRDs under k8s/ the API server rejects").isEmpty();
  }

  private boolean served(String apiVersion, String kind) {
    APIResourceList resources = client().getApiResources(apiVersion);
    return resources != null
        && resources.getResources().stream().anyMatch(r -> kind.equals(r.getKind()));
  }

  private List<HasMetadata> rendered(ManifestSet set) throws IOException {
    List<HasMetadata> objects = rendered.get(set);
    if (objects == null) {
      objects = render(set);
      rendered.put(set, objects);
    }
    return objects;
  }

  /** The objects of a manifest set: {@code kubectl kustomize} output, or the file itself. */
  private List<HasMetadata> render(ManifestSet set) throws IOException {
    String yaml;
    if (set.kustomization()) {
      CommandResult built = cluster.kubectl("kustomize", set.path().toString()).orThrow();
      yaml = built.stdout();
    } else {
      yaml = Files.readString(RepoRoot.find().resolve(set.path()));
    }
    return client()
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .items()
        .stream()
        .map(this::typed)
        .toList();
  }

  private HasMetadata typed(HasMetadata object) {
    if ("CustomResourceDefinition".equals(object.getKind())
        && !(object instanceof CustomResourceDefinition)) {
      return client()
          .getKubernetesSerialization()
          .convertValue(object, CustomResourceDefinition.class);
    }
    return object;
  }
}
