package dev.flinkspot.testing.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * k3s in a container (Testcontainers) for users with a Docker engine: the same scenarios as on the
 * locally built control plane. {@code k8s/} is copied in and kubectl runs inside the container from
 * {@code /flinkspot}, so repository-relative paths work and Go is not needed. Declare it as a
 * static {@code @Container} field under {@code @Testcontainers(disabledWithoutDocker = true)}.
 */
public final class K3sCluster implements TestCluster, Startable {

  /** k3s release of the same Kubernetes minor as {@code tools/kube}. */
  public static final String IMAGE = "rancher/k3s:v1.34.1-k3s1";

  private static final String WORKDIR = "/flinkspot";

  private final K3sContainer container;
  private KubernetesClient client;

  @SuppressWarnings("resource") // stopped by stop()
  public K3sCluster() {
    this.container =
        new K3sContainer(DockerImageName.parse(IMAGE))
            .withCopyFileToContainer(
                MountableFile.forHostPath(RepoRoot.find().resolve("k8s")), WORKDIR + "/k8s");
  }

  @Override
  public void start() {
    container.start();
  }

  @Override
  public void stop() {
    if (client != null) {
      client.close();
      client = null;
    }
    container.stop();
  }

  @Override
  public synchronized KubernetesClient client() {
    if (client == null) {
      client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(container.getKubeConfigYaml()))
              .build();
    }
    return client;
  }

  @Override
  public CommandResult kubectl(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of("sh", "-c", "cd " + WORKDIR + " && exec kubectl \"$@\"", "kubectl"));
    command.addAll(List.of(args));
    try {
      ExecResult r = container.execInContainer(command.toArray(String[]::new));
      return new CommandResult(command, r.getExitCode(), r.getStdout(), r.getStderr());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
