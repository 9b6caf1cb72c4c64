package dev.flinkspot.testing.kube;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A Kubernetes cluster a test talks to: the locally built control plane or k3s in a container, so
 * one scenario runs on both.
 */
public interface TestCluster {

  /** An admin client. */
  KubernetesClient client();

  /** Runs kubectl with admin credentials; paths in arguments are relative to the repo root. */
  CommandResult kubectl(String... args);
}
