package dev.flinkspot.testing.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;

/** Namespaces for a test. */
public final class TestNamespaces {

  private TestNamespaces() {}

  /** Creates each of {@code names}, failing if one exists already. */
  public static void create(KubernetesClient client, String... names) {
    for (String name : names) {
      namespace(client, name).create();
    }
  }

  /** Creates each of {@code names} unless it exists (server-side apply). */
  public static void apply(KubernetesClient client, String... names) {
    for (String name : names) {
      namespace(client, name).serverSideApply();
    }
  }

  private static Resource<Namespace> namespace(KubernetesClient client, String name) {
    return client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build());
  }
}
