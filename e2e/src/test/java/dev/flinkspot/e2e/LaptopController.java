package dev.flinkspot.e2e;

import dev.flinkspot.flink.harness.Await;
import dev.flinkspot.testing.kube.ControllerProcess;
import dev.flinkspot.testing.kube.ControllerServiceAccount;
import dev.flinkspot.testing.kube.KubeControlPlane;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The packaged controller ({@code operator-extension/target/flinkspot.jar controller}) as its own
 * process, as a user runs it outside the cluster, authenticated as the shipped ServiceAccount
 * {@code flinkspot-system/flinkspot-controller} (a TokenRequest token: the shipped RBAC is what it
 * may do), with leader election on, as in the cluster.
 *
 * <p>Its JVM resolves host names from a hosts file ({@code -Djdk.net.hosts.file}, JDK 9+,
 * JDK-8176361: "the name and address resolution calls of InetAddress ... retrieve the relevant
 * mapping from the specified file"). That is how the JobManager REST Service name the controller
 * derives in production ({@code <name>-rest.<namespace>.svc}, {@code
 * dev.flinkspot.flink.JobManagerAddress#serviceDns}) reaches the harness's JobManager on loopback
 * with no change to the controller: the file plays cluster DNS. The API server is addressed by IP
 * (the kubeconfig), so nothing else needs a name.
 */
final class LaptopController implements AutoCloseable {

  private final ControllerProcess process;
  private final Path kubeconfig;
  private final int healthPort;
  private final int metricsPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private LaptopController(
      ControllerProcess process, Path kubeconfig, int healthPort, int metricsPort) {
    this.process = process;
    this.kubeconfig = kubeconfig;
    this.healthPort = healthPort;
    this.metricsPort = metricsPort;
  }

  /**
   * Starts {@code flinkspot controller} against {@code kube} in {@code dir}, with {@code
   * serviceNames} resolving to 127.0.0.1. The webhook is off: the API server here cannot call back
   * into a process (no Service), and the controller places new deployments itself.
   */
  static LaptopController start(KubeControlPlane kube, Path dir, List<String> serviceNames)
      throws IOException {
    Path kubeconfig = serviceAccountKubeconfig(kube, dir);
    Path hosts = dir.resolve("hosts");
    List<String> lines = new ArrayList<>();
    lines.add("127.0.0.1 localhost " + InetAddress.getLocalHost().getHostName());
    serviceNames.forEach(n -> lines.add("127.0.0.1 " + n));
    Files.write(hosts, lines);
    int health = ControllerProcess.freePort();
    int metrics = ControllerProcess.freePort();
    List<String> args =
        List.of(
            "controller",
            "--no-webhook",
            "--identity=e2e-controller",
            "--health-port=" + health,
            "--metrics-port=" + metrics);
    // Small and quick to start: two cores are shared by the control plane and four Flink JVMs.
    String jvm =
        "-Djdk.net.hosts.file=" + hosts + " -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    return new LaptopController(
        ControllerProcess.start(kubeconfig, args, Map.of("JAVA_TOOL_OPTIONS", jvm)),
        kubeconfig,
        health,
        metrics);
  }

  /** Waits until {@code /readyz} answers 200 (informers synced, every loop ready). */
  void awaitReady(Duration timeout) {
    await(
        "/readyz",
        timeout,
        () ->
            get(healthPort, "/readyz").statusCode() == 200
                ? Optional.of(Boolean.TRUE)
                : Optional.empty());
  }

  /**
   * {@link Await#until} for something the controller does; a timeout, or the controller exiting,
   * fails with its log.
   */
  <T> T await(String what, Duration timeout, Supplier<Optional<T>> probe) {
    try {
      return Await.until(
          "the controller: " + what,
          timeout,
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("the controller exited");
            }
            return probe.get();
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + log(), e);
    }
  }

  /** Its Prometheus scrape. */
  String metrics() {
    HttpResponse<String> r = get(metricsPort, "/metrics");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("/metrics answered " + r.statusCode());
    }
    return r.body();
  }

  /** What it printed, with a heading, for assertion messages. */
  String log() {
    return process.log();
  }

  private HttpResponse<String> get(int port, String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(path + " on port " + port + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the controller (SIGTERM) and deletes its token kubeconfig. */
  @Override
  public void close() throws IOException {
    try {
      process.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      Files.deleteIfExists(kubeconfig);
    }
  }

  /** A kubeconfig with a 1-hour token of the controller's ServiceAccount (applied before). */
  private static Path serviceAccountKubeconfig(KubeControlPlane kube, Path dir) throws IOException {
    String user = ControllerServiceAccount.USER; // system:serviceaccount:<namespace>:<name>
    String[] parts = user.split(":");
    TokenRequest request =
        new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build();
    String token =
        kube.client()
            .serviceAccounts()
            .inNamespace(parts[2])
            .withName(parts[3])
            .tokenRequest(request)
            .getStatus()
            .getToken();
    Config admin = kube.client().getConfiguration();
    String ca =
        admin.getCaCertData() != null
            ? "certificate-authority-data: " + admin.getCaCertData()
            : "certificate-authority: " + admin.getCaCertFile();
    String yaml =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: e2e",
            "  cluster:",
            "    server: " + admin.getMasterUrl(),
            "    " + ca,
            "users:",
            "- name: flinkspot-controller",
            "  user:",
            "    token: " + token,
            "contexts:",
            "- name: e2e",
            "  context: {cluster: e2e, user: flinkspot-controller}",
            "current-context: e2e",
            "");
    Path kubeconfig = dir.resolve("controller-kubeconfig.yaml");
    Files.writeString(kubeconfig, yaml);
    return kubeconfig;
  }
}
