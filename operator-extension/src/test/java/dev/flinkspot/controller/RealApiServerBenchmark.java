package dev.flinkspot.controller;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static dev.flinkspot.policy.PolicyFixtures.spec;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.policy.StaticPolicyLookup;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlane;
import dev.flinkspot.testing.kube.TestControllerConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a test: {@link ControllerBenchmark}'s figures again, on the real kube-apiserver + etcd of
 * {@link KubeControlPlane} (tools/kube) instead of the mock server. Prints
 *
 * <ul>
 *   <li>admission through the API server: latency of creating a FlinkDeployment with our webhook
 *       called (served in this process on 127.0.0.1, {@code failurePolicy: Fail}) and without a
 *       webhook, interleaved, p50/p99;
 *   <li>1,000 FlinkDeployments created without the webhook, then settled by the whole {@link
 *       ControllerRuntime} (informers, queue, reconcilers): time, API writes per deployment (from
 *       the API server's own {@code apiserver_request_total}), the heap of this JVM and the CPU of
 *       this JVM, kube-apiserver and etcd ({@link PhaseMeter}); then a restart on the placed
 *       deployments (the fixed point).
 * </ul>
 *
 * Run as the README's benchmark section says ({@code
 * dev.flinkspot.controller.RealApiServerBenchmark}).
 */
public final class RealApiServerBenchmark {

  private static final int WARMUP = 200;
  private static final int CREATES = 1_000;

  /** Deployments per reconcile case: 1,000, or the first argument (the scale case only). */
  private static int deployments = 1_000;

  /** How often the scale case prints where it is. */
  private static final Duration PROGRESS = Duration.ofSeconds(30);

  /**
   * The cost reports' periodic advance of unchanged figures in the scale case: longer than a run,
   * so that what a phase writes is the controller's reaction to the cluster and to a restart, not
   * the steady advance of every report once per interval (printed apart: N / interval).
   */
  private static final Duration REPORT_INTERVAL = Duration.ofHours(1);

  /** The API server's request counts when the current phase started. */
  private static Map<String, Double> phaseStart = Map.of();

  private static final Pattern REQUESTS =
      Pattern.compile("^apiserver_request_total\\{([^}]*)\\} ([0-9.e+]+)$", Pattern.MULTILINE);

  private RealApiServerBenchmark() {}

  /**
   * @param args none: every case with 1,000 deployments; {@code N}: only the scaling + cost reports
   *     case, with N deployments (the 10,000-deployment case of issue 15, run under {@code
   *     -Xmx384m}, the shipped heap)
   */
  public static void main(String[] args) throws Exception {
    boolean scaleOnly = args.length > 0;
    if (scaleOnly) {
      deployments = Integer.parseInt(args[0]);
    }
    try (KubeControlPlane kube = KubeControlPlane.builder().start()) {
      KubernetesClient client = kube.client();
      FlinkCrds.install(client);
      applyShippedCrd(client, "flinkspotpolicies.flinkspot.dev.yaml");
      System.out.println(
          "real kube-apiserver "
              + client.getKubernetesVersion().getGitVersion()
              + " + etcd (tools/kube), loopback");
      applyShippedCrd(client, "flinkcostreports.flinkspot.dev.yaml");
      if (!scaleOnly) {
        admission(client);
        reconcile(client);
      }
      scaledAndCosted(client);
    }
    System.exit(0);
  }

  private static void applyShippedCrd(KubernetesClient client, String file) throws Exception {
    FlinkCrds.apply(
        client,
        client
            .getKubernetesSerialization()
            .unmarshal(
                java.nio.file.Files.readString(
                    dev.flinkspot.testing.kube.RepoRoot.find().resolve("k8s/base").resolve(file)),
                io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class));
  }

  static void admission(KubernetesClient client) throws Exception {
    namespace(client, "bench-off");
    namespace(client, "bench-on");
    var policies =
        new StaticPolicyLookup().put("bench-on", "spot-taskmanagers", spec(SPOT_TASKMANAGERS));
    long[] off = new long[CREATES];
    long[] on = new long[CREATES];
    try (var webhook =
        InProcessWebhook.start(client, "flinkspot-bench", policies, "Fail", "bench-on")) {
      // Warm-up, and wait until the API server has taken the webhook configuration up.
      for (int i = 0; i < WARMUP || !placed(client, "bench-on", "warm-" + (i - 1)); i++) {
        create(client, "bench-off", "warm-" + i);
        create(client, "bench-on", "warm-" + i);
      }
      for (int i = 0; i < CREATES; i++) {
        off[i] = create(client, "bench-off", "d-" + i);
        on[i] = create(client, "bench-on", "d-" + i);
      }
    }
    if (!placed(client, "bench-on", "d-" + (CREATES - 1))
        || placed(client, "bench-off", "d-" + (CREATES - 1))) {
      throw new IllegalStateException("the webhook was not called as configured");
    }
    System.out.printf(
        "admission, create FlinkDeployment through the API server, %d each after %d+ warm-up,"
            + " interleaved:%n",
        CREATES, WARMUP);
    System.out.printf(
        "  no webhook          p50 %.2f ms  p99 %.2f ms%n",
        ControllerBenchmark.pct(off, 50), ControllerBenchmark.pct(off, 99));
    System.out.printf(
        "  flinkspot webhook   p50 %.2f ms  p99 %.2f ms (placed at admission)%n",
        ControllerBenchmark.pct(on, 50), ControllerBenchmark.pct(on, 99));
  }

  static void reconcile(KubernetesClient client) throws Exception {
    namespace(client, PlacementScenarios.NS);
    var scenarios = new PlacementScenarios(client);
    scenarios.createPolicy("spot-taskmanagers", SPOT_TASKMANAGERS);
    long t0 = System.nanoTime();
    for (int i = 0; i < deployments; i++) {
      scenarios.createDeployment(String.format("job-%04d", i), "", false);
    }
    System.out.printf(
        "reconcile, %d new FlinkDeployments (created in %.1f s, no webhook), real API server:%n",
        deployments, (System.nanoTime() - t0) / 1e9);
    var config = TestControllerConfig.of(false, false).build();
    phases(
        client,
        () ->
            new ControllerRuntime(
                client, config, new SimpleMeterRegistry(), Clock.systemUTC(), Loops.standard(null)),
        runtime -> awaitSettled(client, runtime),
        "placing",
        "restart (fixed point)");
  }

  /**
   * The whole controller on 1,000 deployments of a policy with Reactive Mode scaling, each running
   * a JobManager and two TaskManager pods bound to 20 Ready EKS-labelled nodes: placement and
   * defaults (one PATCH), one HPA and one FlinkCostReport each; then a restart on the result.
   */
  static void scaledAndCosted(KubernetesClient client) throws Exception {
    String ns = "bench-scaled";
    namespace(client, ns);
    var nodes = new java.util.ArrayList<dev.flinkspot.testing.kube.TestNodes.Spec>();
    String[] spotTypes = {"m5.xlarge", "m5a.xlarge", "m6i.xlarge", "m5.2xlarge"};
    for (int i = 0; i < 20; i++) {
      String zone = "us-east-1" + "abc".charAt(i % 3);
      nodes.add(
          i < 4
              ? dev.flinkspot.testing.kube.TestNodes.onDemand("bench-od-" + i, "m5.large", zone)
                  .resources("64", "256Gi")
                  .maxPods(500)
              : dev.flinkspot.testing.kube.TestNodes.spot(
                      "bench-spot-" + i, spotTypes[i % spotTypes.length], zone)
                  .resources("64", "256Gi")
                  .maxPods(500));
    }
    dev.flinkspot.testing.kube.TestNodes.createReady(
        client, nodes.toArray(dev.flinkspot.testing.kube.TestNodes.Spec[]::new));
    var scenarios = new PlacementScenarios(client, ns);
    scenarios.createPolicy(
        "spot-taskmanagers",
        SPOT_TASKMANAGERS + "scaling: {minTaskManagers: 1, maxTaskManagers: 8}\n");
    long t0 = System.nanoTime();
    for (int i = 0; i < deployments; i++) {
      scenarios.createDeployment(String.format("job-%04d", i), "", false);
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < deployments; i++) {
      String name = String.format("job-%04d", i);
      pod(client, ns, name, "jobmanager", "bench-od-" + (i % 4), 0);
      for (int t = 0; t < 2; t++) {
        pod(client, ns, name, "taskmanager", "bench-spot-" + (4 + (i * 2 + t) % 16), t);
      }
    }
    // Pods of other workloads in the same namespace (not governed, so never received).
    for (int i = 0; i < deployments / 10; i++) {
      client
          .pods()
          .inNamespace(ns)
          .resource(
              dev.flinkspot.testing.kube.TestPods.bound(
                  ns, "other-" + i, Map.of("app", "other"), "bench-od-0", "100m", "128Mi"))
          .create();
    }
    System.out.printf(
        "scaling + cost reports, %d new FlinkDeployments with 3 pods each on 20 nodes, and %d"
            + " ungoverned pods (created in %.1f s: deployments %.1f s, pods %.1f s):%n",
        deployments,
        deployments / 10,
        (System.nanoTime() - t0) / 1e9,
        (t1 - t0) / 1e9,
        (System.nanoTime() - t1) / 1e9);
    var config =
        TestControllerConfig.of(false, false).webhook(false).namespaces(List.of(ns)).build();
    var settings =
        new CostReportSettings(
            dev.flinkspot.cost.catalog.CatalogLoader.builtIn(),
            dev.flinkspot.cost.CostOptions.defaults(),
            "us-east-1",
            new dev.flinkspot.cost.live.ReportWritePolicy(REPORT_INTERVAL, Duration.ofSeconds(10)));
    phases(
        client,
        () ->
            new ControllerRuntime(
                client,
                config,
                // The shipped registry: its meters are part of the heap measured.
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                    io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT),
                Clock.systemUTC(),
                Loops.standard(settings)),
        runtime -> awaitScaledAndCosted(client, runtime, ns),
        "placing+HPA+report",
        "restart (fixed point)");
    var policy =
        client.resources(FlinkSpotPolicy.class).inNamespace(ns).withName("spot-taskmanagers").get();
    System.out.printf(
        "  steady state (not measured above): each unchanged report's status is rewritten once"
            + " per --cost-report-interval to advance its totals, %,d reports: %.1f PUT/s at the"
            + " default 5m, %.1f at 30m%n",
        deployments, deployments / 300.0, deployments / 1800.0);
    System.out.printf(
        "  policy status: %,d bytes of JSON%n",
        client.getKubernetesSerialization().asJson(policy.getStatus()).getBytes(UTF_8).length);
  }

  /** What a phase waits for. */
  private interface Settled {
    void await(ControllerRuntime runtime) throws InterruptedException;
  }

  /**
   * Per phase, a fresh controller runs until {@code settled}; prints the time, FlinkDeployment
   * PATCHes per deployment, this JVM's peak heap and the API requests it made.
   */
  private static void phases(
      KubernetesClient client,
      java.util.function.Supplier<ControllerRuntime> controller,
      Settled settled,
      String... phases)
      throws Exception {
    for (String phase : phases) {
      System.gc();
      Map<String, Double> before = requests(client);
      phaseStart = before;
      long start = System.nanoTime();
      long live;
      double seconds;
      String heap;
      String cpu;
      try (var meter = new PhaseMeter();
          var runtime = controller.get().start()) {
        settled.await(runtime);
        seconds = (System.nanoTime() - start) / 1e9;
        heap = meter.heap();
        cpu = meter.cpu();
        live = liveHeapMb();
      }
      Map<String, Double> delta = delta(before, requests(client));
      System.out.printf(
          "  %-22s settled in %.1f s, %.2f PATCH per deployment, live heap %d MB after a full"
              + " GC at the end%n",
          phase, seconds, delta.getOrDefault("PATCH flinkdeployments", 0.0) / deployments, live);
      System.out.println("    " + heap);
      System.out.println("    " + cpu);
      System.out.println("    API requests: " + delta);
      System.out.printf(
          "    writes: %,.0f (%.2f per deployment)%n", writes(delta), writes(delta) / deployments);
    }
  }

  /** POST, PUT, PATCH and DELETE requests among {@code requests}. */
  private static double writes(Map<String, Double> requests) {
    return requests.entrySet().stream()
        .filter(e -> e.getKey().matches("^(POST|PUT|PATCH|DELETE) .*"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  private static void pod(
      KubernetesClient client, String ns, String app, String component, String node, int i) {
    client
        .pods()
        .inNamespace(ns)
        .resource(
            dev.flinkspot.testing.kube.TestPods.flink(
                ns,
                app + "-" + component + "-" + i,
                app,
                component,
                dev.flinkspot.cost.live.FlinkPods.STANDALONE,
                node,
                "1",
                "4Gi"))
        .create();
  }

  private static void awaitScaledAndCosted(
      KubernetesClient client, ControllerRuntime runtime, String ns) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Duration.ofMinutes(30).toNanos();
    long nextProgress = start + PROGRESS.toNanos();
    while (System.nanoTime() < deadline) {
      if (System.nanoTime() > nextProgress) {
        nextProgress += PROGRESS.toNanos();
        System.out.printf(
            "    %4.0f s: queued %s, writes so far %s%n",
            (System.nanoTime() - start) / 1e9,
            runtime.queued(),
            delta(phaseStart, requests(client)).entrySet().stream()
                .filter(e -> e.getKey().matches("^(POST|PUT|PATCH|DELETE) .*"))
                .map(e -> e.getKey() + "=" + Math.round(e.getValue()))
                .toList());
      }
      // Paged, so that checking 10,000 objects does not take this JVM's heap (the controller's).
      if (runtime.idle()
          && count(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns), h -> true)
              == deployments
          && count(
                  client
                      .genericKubernetesResources("flinkspot.dev/v1alpha1", "FlinkCostReport")
                      .inNamespace(ns),
                  r -> r.get("status") != null)
              == deployments
          && count(FlinkDeployments.in(client).inNamespace(ns), d -> placed(client, d))
              == deployments) {
        return;
      }
      Thread.sleep(deployments > 2_000 ? 5_000 : 1_000);
    }
    throw new IllegalStateException("not settled in 30 minutes");
  }

  /** How many listed items match, read 500 at a time. */
  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> long count(
      io.fabric8.kubernetes.client.dsl.Listable<
              ? extends io.fabric8.kubernetes.api.model.KubernetesResourceList<T>>
          list,
      java.util.function.Predicate<T> matches) {
    long n = 0;
    String token = null;
    do {
      var page =
          list.list(
              new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                  .withLimit(500L)
                  .withContinue(token)
                  .build());
      n += page.getItems().stream().filter(matches).count();
      token = page.getMetadata().getContinue();
    } while (token != null && !token.isEmpty());
    return n;
  }

  private static long liveHeapMb() {
    System.gc();
    var heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return heap.getUsed() >> 20;
  }

  private static long create(KubernetesClient client, String ns, String name) {
    ObjectNode json = PolicyFixtures.deployment("");
    ((ObjectNode) json.get("metadata")).put("name", name).put("namespace", ns);
    var d = client.getKubernetesSerialization().convertValue(json, GenericKubernetesResource.class);
    long t = System.nanoTime();
    FlinkDeployments.in(client).inNamespace(ns).resource(d).create();
    return System.nanoTime() - t;
  }

  private static boolean placed(KubernetesClient client, String ns, String name) {
    return placed(client, FlinkDeployments.in(client).inNamespace(ns).withName(name).get());
  }

  private static boolean placed(KubernetesClient client, GenericKubernetesResource d) {
    return d != null
        && Json.at(
                    client.getKubernetesSerialization().convertValue(d, ObjectNode.class),
                    "spec",
                    "taskManager",
                    "podTemplate",
                    "spec",
                    "topologySpreadConstraints")
                .size()
            == 2;
  }

  private static void awaitSettled(KubernetesClient client, ControllerRuntime runtime)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (runtime.idle()) {
        var policy =
            client
                .resources(FlinkSpotPolicy.class)
                .inNamespace(PlacementScenarios.NS)
                .withName("spot-taskmanagers")
                .get();
        if (policy.getStatus() != null
            && policy.getStatus().getGovernedCount() == deployments
            && FlinkDeployments.in(client)
                .inNamespace(PlacementScenarios.NS)
                .list()
                .getItems()
                .stream()
                .allMatch(d -> placed(client, d))) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("not settled in 10 minutes");
  }

  /** {@code apiserver_request_total} summed by "VERB resource" (events also by code). */
  static Map<String, Double> requests(KubernetesClient client) {
    Map<String, Double> sums = new TreeMap<>();
    Matcher m = REQUESTS.matcher(client.raw("/metrics"));
    while (m.find()) {
      String labels = m.group(1);
      String resource = label(labels, "resource");
      String verb = label(labels, "verb");
      if (resource.startsWith("flink")
          || resource.equals("events")
          || resource.equals("horizontalpodautoscalers")) {
        String sub = label(labels, "subresource");
        String key = verb + " " + resource + (sub.isEmpty() ? "" : "/" + sub);
        // Events are created under deterministic names: show how many were conflicts (409).
        key = resource.equals("events") ? key + " " + label(labels, "code") : key;
        sums.merge(key, Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    return sums;
  }

  private static String label(String labels, String name) {
    Matcher m = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
    return m.find() ? m.group(1) : "";
  }

  private static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> delta = new TreeMap<>();
    after.forEach(
        (k, v) -> {
          double d = v - before.getOrDefault(k, 0.0);
          if (d > 0) {
            delta.put(k, d);
          }
        });
    return delta;
  }

  private static void namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }
}
