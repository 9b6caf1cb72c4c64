package dev.flinkspot.testing.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller's identity as shipped in k8s/base: tests apply its namespace, ServiceAccount and
 * RBAC, then act as that ServiceAccount (the admin client may impersonate it), so a missing verb in
 * rbac.yaml shows up as a 403 in the test.
 */
public final class ControllerServiceAccount {

  public static final String USER = "system:serviceaccount:flinkspot-system:flinkspot-controller";

  private ControllerServiceAccount() {}

  /** Applies k8s/base's namespace.yaml, serviceaccount.yaml, rbac.yaml, then {@code extra}. */
  public static void applyShippedRbac(TestCluster cluster, String... extra) {
    List<String> files =
        new ArrayList<>(List.of("namespace.yaml", "serviceaccount.yaml", "rbac.yaml"));
    files.addAll(List.of(extra));
    for (String file : files) {
      cluster
          .kubectl("apply", "-f", RepoRoot.find().resolve("k8s/base").resolve(file).toString())
          .orThrow();
    }
  }

  /** The admin configuration, impersonating the controller's ServiceAccount and its groups. */
  public static ConfigBuilder impersonating(Config admin) {
    return new ConfigBuilder(admin)
        .withImpersonateUsername(USER)
        .withImpersonateGroups(
            "system:serviceaccounts",
            "system:serviceaccounts:flinkspot-system",
            "system:authenticated");
  }
}
