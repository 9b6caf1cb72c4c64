package dev.flinkspot.testing.kube;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A real Kubernetes control plane on this machine: kube-apiserver and etcd started through Fabric8
 * kube-api-test from our own binaries (never downloaded), plus kube-scheduler and
 * kube-controller-manager as child processes when a test needs them. No kubelet runs: Nodes are API
 * objects ({@link TestNodes}), so pods get bound but never run.
 *
 * <pre>{@code
 * try (var kube = KubeControlPlane.builder().withScheduler().start()) {
 *   TestNodes.createReady(kube.client(), TestNodes.spot("spot-a", "m5.xlarge", "eu-west-1a"));
 *   ...
 * }
 * }</pre>
 *
 * <p>Everything is stopped by {@link #close()}, also when a test fails; a JVM shutdown hook kills
 * what is left if the JVM dies first.
 */
public final class KubeControlPlane implements TestCluster, AutoCloseable {

  /**
   * The controllers of kube-controller-manager by default: all of them but the node-lifecycle
   * controller, which would taint and evict our kubelet-less Nodes. The garbage collector is on.
   */
  public static final List<String> DEFAULT_CONTROLLERS = List.of("*", "-node-lifecycle-controller");

  private static final Duration COMPONENT_STARTUP = Duration.ofSeconds(60);

  private final ControlPlaneBinaries binaries;
  private final KubeAPIServer apiServer;
  private final List<AutoCloseable> toClose = Collections.synchronizedList(new ArrayList<>());
  private final Path workDir;
  private final Path kubeconfig;
  private final String kubeconfigYaml;
  private final KubernetesClient client;
  private ChildProcess scheduler;
  private ChildProcess controllerManager;

  private KubeControlPlane(
      ControlPlaneBinaries binaries, List<String> apiServerFlags, Duration startupTimeout) {
    this.binaries = binaries;
    KubeAPIServerConfig config =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withTestDir(binaries.testDir().toString())
            .withApiServerVersion(binaries.version())
            .withOfflineMode(true) // our binaries or nothing: never download
            .withUpdateKubeConfig(false)
            .withApiServerFlags(apiServerFlags)
            .withStartupTimeout(
                startupTimeout == null ? null : Math.toIntExact(startupTimeout.toMillis()))
            .build();
    this.apiServer = new KubeAPIServer(config);
    Thread hook = new Thread(this::stopApiServerQuietly, "kube-apiserver-stop");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      toClose.add(() -> removeHook(hook));
      toClose.add(apiServer::stop); // before start: a half-started server (etcd up) is stopped too
      startApiServer(Duration.ofMillis(config.getStartupTimeout()));
      this.kubeconfigYaml = apiServer.getKubeConfigYaml();
      this.workDir = Files.createTempDirectory("flinkspot-kube-");
      toClose.add(() -> deleteTree(workDir));
      this.kubeconfig = workDir.resolve("kubeconfig.yaml");
      Files.writeString(kubeconfig, kubeconfigYaml, StandardCharsets.UTF_8);
      this.client =
          new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
      toClose.add(client::close);
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** An admin client (system:masters) of the API server. */
  @Override
  public KubernetesClient client() {
    return client;
  }

  /** A kubeconfig (YAML) for this API server with admin credentials. */
  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  /** The kubeconfig written to a file, for kubectl and the child components. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  public ControlPlaneBinaries binaries() {
    return binaries;
  }

  /** Runs our kubectl against this server from the repository root. */
  @Override
  public CommandResult kubectl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binaries.kubectl().toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    return run(command, binaries.repoRoot());
  }

  /** Starts kube-scheduler (once) and waits until it is healthy. */
  public synchronized KubeControlPlane startScheduler() {
    if (scheduler == null) {
      int port = freePort();
      List<String> command = new ArrayList<>(componentFlags(binaries.kubeScheduler(), port));
      scheduler = startComponent("kube-scheduler", command, port);
    }
    return this;
  }

  /**
   * Starts kube-controller-manager (once) with the given controllers (kube-controller-manager's
   * {@code --controllers} syntax; {@link #DEFAULT_CONTROLLERS} when none). Start it after the CRDs
   * a test relies on exist: its garbage collector rediscovers new resource types only every 30 s.
   * The HPA controller syncs every 2 s (15 s in a real cluster).
   */
  public synchronized KubeControlPlane startControllerManager(String... controllers) {
    if (controllerManager == null) {
      int port = freePort();
      List<String> command =
          new ArrayList<>(componentFlags(binaries.kubeControllerManager(), port));
      command.add(
          "--controllers="
              + String.join(
                  ",", controllers.length == 0 ? DEFAULT_CONTROLLERS : List.of(controllers)));
      command.add("--use-service-account-credentials=false");
      command.add(
          "--service-account-private-key-file="
              + binaries.testDir().resolve("apiserver.key").toAbsolutePath());
      command.add("--root-ca-file=" + binaries.testDir().resolve("apiserver.crt").toAbsolutePath());
      command.add("--cluster-name=flinkspot-test");
      // HPAs are first processed one sync period after creation: 2 s instead of 15 s.
      command.add("--horizontal-pod-autoscaler-sync-period=2s");
      controllerManager = startComponent("kube-controller-manager", command, port);
    }
    return this;
  }

  /** The log file of a running child component, for diagnosing a failed test. */
  public Map<String, Path> componentLogs() {
    Map<String, Path> logs = new LinkedHashMap<>();
    if (scheduler != null) {
      logs.put("kube-scheduler", scheduler.log());
    }
    if (controllerManager != null) {
      logs.put("kube-controller-manager", controllerManager.log());
    }
    return logs;
  }

  /**
   * Stops the kube-apiserver only (etcd keeps running, so nothing stored is lost) and returns a
   * handle that starts it again with the same command line: the same port, certificates and etcd,
   * as when an API server is restarted or briefly unreachable. Clients keep their URL.
   */
  public synchronized Runnable stopApiServerForAWhile() {
    try {
      var field = KubeAPIServer.class.getDeclaredField("kubeApiServerProcess");
      field.setAccessible(true);
      var process = (io.fabric8.kubeapitest.process.KubeAPIServerProcess) field.get(apiServer);
      var processField = process.getClass().getDeclaredField("apiServerProcess");
      processField.setAccessible(true);
      var info = ((Process) processField.get(process)).info();
      List<String> command = new ArrayList<>();
      command.add(info.command().orElseThrow());
      command.addAll(List.of(info.arguments().orElseThrow()));
      // stopApiServer marks the stop as expected: kube-api-test then leaves etcd running.
      process.stopApiServer();
      return () -> {
        ChildProcess restarted =
            ChildProcess.start(
                "kube-apiserver-restarted",
                command,
                binaries.repoRoot().resolve("operator-extension/target/kube-logs"));
        toClose.add(restarted);
        long deadline = System.nanoTime() + COMPONENT_STARTUP.toNanos();
        while (true) {
          try {
            if ("ok".equals(client.raw("/readyz"))) {
              return;
            }
          } catch (RuntimeException e) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("kube-apiserver not ready after a restart", e);
            }
          }
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        }
      };
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("kube-api-test changed: cannot stop its API server", e);
    }
  }

  /**
   * Starts etcd and the API server, clear of kube-api-test's midnight wrap ({@link MidnightWrap});
   * a failure says how long it took and ends with the last output of both processes.
   */
  private void startApiServer(Duration timeout) {
    MidnightWrap.sleepIfNearMidnight(timeout);
    ProcessLogLines.clear();
    long started = System.nanoTime();
    try {
      apiServer.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "kube-apiserver did not start: "
              + e.getMessage()
              + " (after "
              + (System.nanoTime() - started) / 1_000_000
              + " ms of a "
              + timeout.toMillis()
              + " ms timeout). Last output of kube-apiserver:\n"
              + ProcessLogLines.tail(ProcessLogLines.API_SERVER, 30)
              + "\nLast output of etcd:\n"
              + ProcessLogLines.tail(ProcessLogLines.ETCD, 10),
          e);
    }
  }

  /** Stops everything this control plane started, newest first; never throws. */
  @Override
  public void close() {
    List<AutoCloseable> reversed;
    synchronized (toClose) {
      reversed = new ArrayList<>(toClose);
      toClose.clear();
    }
    Collections.reverse(reversed);
    for (AutoCloseable c : reversed) {
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("[kube] cleanup step failed: " + e);
      }
    }
  }

  private ChildProcess startComponent(String name, List<String> command, int port) {
    ChildProcess child =
        ChildProcess.start(
            name, command, binaries.repoRoot().resolve("operator-extension/target/kube-logs"));
    toClose.add(child);
    return child.awaitHealthy(port, COMPONENT_STARTUP);
  }

  private List<String> componentFlags(Path binary, int securePort) {
    String kc = kubeconfig.toString();
    return List.of(
        binary.toString(),
        "--kubeconfig=" + kc,
        "--authentication-kubeconfig=" + kc,
        "--authorization-kubeconfig=" + kc,
        "--leader-elect=false",
        "--bind-address=127.0.0.1",
        "--secure-port=" + securePort,
        "--cert-dir=" + workDir.resolve(binary.getFileName().toString()),
        "--v=2");
  }

  private void stopApiServerQuietly() {
    try {
      apiServer.stop();
    } catch (RuntimeException ignored) {
      // already stopped
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // the JVM is shutting down; the hook runs anyway
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command to completion in {@code directory}, stdin empty, capturing both outputs. */
  public static CommandResult run(List<String> command, Path directory) {
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      CompletableFuture<String> out = readAsync(process.getInputStream());
      CompletableFuture<String> err = readAsync(process.getErrorStream());
      int exit = process.waitFor();
      return new CommandResult(command, exit, out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<String> readAsync(java.io.InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Options for {@link #start()}: extra API server flags, which child components to start. */
  public static final class Builder {
    private final List<String> apiServerFlags =
        new ArrayList<>(List.of("--advertise-address=127.0.0.1"));
    private boolean scheduler;
    private String[] controllers;
    private Duration startupTimeout;

    private Builder() {}

    /** Adds a kube-apiserver flag, e.g. {@code "--feature-gates=...=true"}. */
    public Builder apiServerFlag(String flag) {
      apiServerFlags.add(flag);
      return this;
    }

    /** How long the API server may take to be ready; by default kube-api-test's (60 s). */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = timeout;
      return this;
    }

    public Builder withScheduler() {
      this.scheduler = true;
      return this;
    }

    /** Starts kube-controller-manager at once (see {@link #startControllerManager}). */
    public Builder withControllerManager(String... controllers) {
      this.controllers = controllers;
      return this;
    }

    /** Ensures the binaries (may skip the test), then starts the control plane. */
    public KubeControlPlane start() {
      var plane =
          new KubeControlPlane(ControlPlaneBinaries.ensure(), apiServerFlags, startupTimeout);
      try {
        if (scheduler) {
          plane.startScheduler();
        }
        if (controllers != null) {
          plane.startControllerManager(controllers);
        }
        return plane;
      } catch (RuntimeException e) {
        plane.close();
        throw e;
      }
    }
  }
}
