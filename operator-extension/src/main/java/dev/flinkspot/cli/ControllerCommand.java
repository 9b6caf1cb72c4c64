package dev.flinkspot.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.flinkspot.common.UserInputException;
import dev.flinkspot.controller.ApiServerWatch;
import dev.flinkspot.controller.ControllerConfig;
import dev.flinkspot.controller.ControllerRuntime;
import dev.flinkspot.controller.CostReportSettings;
import dev.flinkspot.controller.HealthServer;
import dev.flinkspot.controller.Loops;
import dev.flinkspot.controller.SpotNoticeSettings;
import dev.flinkspot.desired.SpareDecision;
import dev.flinkspot.kube.Names;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flinkspot controller}: runs the placement controller and its admission webhook. */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = {
      "Run the flinkspot controller and its admission webhook.",
      "",
      "It places opted-in FlinkDeployments (JobManagers On-Demand, TaskManagers Spot) through an"
          + " admission webhook and repairs them where a policy allows; for a policy with scaling"
          + " it adds the Reactive Mode defaults and keeps one HPA per deployment; it keeps a"
          + " FlinkCostReport per deployment (self-managed vs MSF). In a pod it uses the"
          + " ServiceAccount; elsewhere $KUBECONFIG or ~/.kube/config."
    },
    footer = {
      "",
      "Environment:",
      "  FLINKSPOT_LOG_LEVEL  flinkspot's log level: DEBUG, INFO (the default), WARN",
      "                       or ERROR. INFO: a banner at start, one line per write",
      "                       (what and why), leadership and API-server changes, and",
      "                       a line at shutdown. Logs go to stderr."
    })
public final class ControllerCommand implements Callable<Integer> {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  @Option(
      names = "--namespaces",
      split = ",",
      paramLabel = "NS",
      description = "Namespaces to watch, comma-separated (default: all).")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = "--own-namespace",
      description =
          "Namespace of the Lease and the webhook Secret (default: $POD_NAMESPACE or flinkspot-system).")
  String ownNamespace = envOr("POD_NAMESPACE", "flinkspot-system");

  @Option(names = "--identity", description = "Name in the Lease: $POD_NAME, else the host name.")
  String identity = envOr("POD_NAME", hostName());

  @Option(
      names = "--leader-election",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Elect a leader on a Lease so several replicas are safe (default: on).")
  boolean leaderElection;

  @Option(
      names = "--lease-name",
      defaultValue = "flinkspot-controller",
      description = "Lease name (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(
      names = "--webhook",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Serve the admission webhook and keep its CA in --webhook-configuration (on by"
              + " default, on a laptop too; --no-webhook to run without it: then a"
              + " FlinkDeployment it would deny is left alone, with a NotAdmitted Event).")
  boolean webhook;

  @Option(
      names = "--webhook-port",
      defaultValue = "9443",
      description = "Webhook HTTPS port (default: ${DEFAULT-VALUE}).")
  int webhookPort;

  @Option(
      names = "--webhook-service",
      defaultValue = "flinkspot-webhook",
      description = "Webhook Service name (default: ${DEFAULT-VALUE}).")
  String webhookService;

  @Option(
      names = "--webhook-configuration",
      defaultValue = "flinkspot",
      description =
          "The MutatingWebhookConfiguration whose caBundle the controller keeps (${DEFAULT-VALUE} by default).")
  String webhookConfiguration;

  @Option(
      names = "--tls-secret",
      defaultValue = "flinkspot-webhook-tls",
      description = "Secret holding the webhook certificate (${DEFAULT-VALUE} by default).")
  String tlsSecret;

  @Option(
      names = "--health-port",
      defaultValue = "" + DEFAULT_HEALTH_PORT,
      description =
          "Port of /healthz and /readyz (default: ${DEFAULT-VALUE}; not 8081, Flink's REST port).")
  int healthPort;

  @Option(
      names = "--metrics-port",
      defaultValue = "8080",
      description = "Port of /metrics (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--metrics-max-deployments",
      defaultValue = "" + ControllerConfig.DEFAULT_METRICS_MAX_DEPLOYMENTS,
      paramLabel = "N",
      description =
          "How many deployments get their own cost and HPA series (about 6 KB of heap"
              + " each), 0 to 100000; ${DEFAULT-VALUE} by default. The others get none;"
              + " a gauge in /metrics counts them (README: Live cost reports).")
  int metricsMaxDeployments;

  @Option(
      names = "--bind-address",
      paramLabel = "IP",
      description =
          "IP the health, metrics and webhook ports listen on: 0.0.0.0 in a pod,"
              + " else 127.0.0.1 (this host only).")
  String bindAddress = inPod() ? ALL_INTERFACES : LOOPBACK;

  @Option(
      names = "--workers",
      defaultValue = "2",
      description = "Reconcile threads (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--resync",
      defaultValue = "10m",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description =
          "Informer resync period, 1m to 24h, as 30m or PT30M; ${DEFAULT-VALUE} by default.")
  Duration resync;

  @Option(
      names = "--log-format",
      description = "Log format, json or text; by default json in a pod and text elsewhere.")
  String logFormat = inPod() ? "json" : "text";

  @Option(
      names = "--cost-reports",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Keep a FlinkCostReport for each governed deployment (on by default).")
  boolean costReports;

  @Option(
      names = "--prices",
      paramLabel = "FILE",
      description = "Price file laid over the built-in catalog, as for `flinkspot cost --prices`.")
  java.nio.file.Path prices;

  @Option(
      names = "--cost-region",
      defaultValue = "us-east-1",
      description =
          "Region of nodes without topology.kubernetes.io/region (default: ${DEFAULT-VALUE}).")
  String costRegion;

  @Option(
      names = "--cost-report-interval",
      defaultValue = "5m",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description =
          "Advance an unchanged report's accumulated cost this often, 10s to 24h, as 5m or PT5M"
              + " (default: ${DEFAULT-VALUE}).")
  Duration costReportInterval;

  @Option(
      names = "--spare-image",
      paramLabel = "IMAGE",
      description =
          "Image of the warm spare placeholders (a policy's taskManager.spare), run with"
              + " its own entrypoint, e.g. registry.k8s.io/pause:3.10; by default each"
              + " deployment's own Flink image with sleep infinity, so it is pre-pulled.")
  String spareImage;

  @Option(
      names = "--spare-priority-class",
      defaultValue = SpareDecision.Settings.DEFAULT_PRIORITY_CLASS,
      paramLabel = "NAME",
      description =
          "The negative-value PriorityClass (shipped by the chart) of the warm spare"
              + " placeholders; ${DEFAULT-VALUE} by default.")
  String sparePriorityClass;

  /** Writes of one report are never closer than this, however often its pods change. */
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ControllerCommand.class);

  static final Duration COST_REPORT_MIN_GAP = Duration.ofSeconds(10);

  /**
   * Not 8081, the Flink JobManager REST port (rest.port, nightlies.apache.org/flink/flink-docs-
   * release-1.20/docs/deployment/config/), which getting-started port-forwards; not 8082/8083
   * (Flink's history server and SQL gateway) nor 8085 (the Flink operator's health probe).
   */
  static final int DEFAULT_HEALTH_PORT = 8090;

  private static final Duration MAX_INTERVAL = Duration.ofHours(24);

  /** The cost-report settings (null when off), or one line naming the bad option. */
  CostReportSettings costReportSettings() {
    if (!costReports) {
      return null;
    }
    DurationConverter.within(
        "--cost-report-interval", costReportInterval, COST_REPORT_MIN_GAP, MAX_INTERVAL);
    var catalog =
        prices == null
            ? dev.flinkspot.cost.catalog.CatalogLoader.builtIn()
            : dev.flinkspot.cost.catalog.CatalogLoader.withOverrides(prices);
    try {
      catalog.region(costRegion);
    } catch (UserInputException e) {
      throw new UserInputException(
          "--cost-region: unknown AWS region '" + costRegion + "': use a code such as us-east-1");
    }
    return new CostReportSettings(
        catalog,
        dev.flinkspot.cost.CostOptions.defaults(),
        costRegion,
        new dev.flinkspot.cost.live.ReportWritePolicy(costReportInterval, COST_REPORT_MIN_GAP));
  }

  /** How the warm spares run, or a readable error naming the option and the fix. */
  SpareDecision.Settings spareSettings() {
    if (spareImage != null && (spareImage.isBlank() || spareImage.length() > 512)) {
      throw new UserInputException(
          "--spare-image: give an image reference such as registry.k8s.io/pause:3.10 (at most"
              + " 512 characters)");
    }
    if (!DNS_SUBDOMAIN.matcher(sparePriorityClass).matches()) {
      throw new UserInputException(
          "--spare-priority-class: '"
              + dev.flinkspot.common.Bounds.shown(sparePriorityClass)
              + "' is not a PriorityClass name (lower-case letters, digits, '-' and '.')");
    }
    return new SpareDecision.Settings(spareImage, sparePriorityClass);
  }

  /** The typed configuration, or a readable error naming the option and the fix. */
  ControllerConfig config() {
    for (String ns : namespaces) {
      if (!DNS_LABEL.matcher(ns).matches()) {
        throw new UserInputException(
            "--namespaces: '"
                + ns
                + "' is not a namespace name (lower-case letters, digits and '-')");
      }
    }
    if (!DNS_LABEL.matcher(ownNamespace).matches()) {
      throw new UserInputException(
          "--own-namespace: '" + ownNamespace + "' is not a namespace name");
    }
    port("--webhook-port", webhookPort);
    port("--health-port", healthPort);
    port("--metrics-port", metricsPort);
    String address = BindAddresses.parse(bindAddress);
    if (workers < 1 || workers > 64) {
      throw new UserInputException("--workers must be between 1 and 64, not " + workers);
    }
    DurationConverter.within("--resync", resync, Duration.ofMinutes(1), MAX_INTERVAL);
    if (metricsMaxDeployments < 0
        || metricsMaxDeployments > ControllerConfig.METRICS_MAX_DEPLOYMENTS_LIMIT) {
      throw new UserInputException(
          "--metrics-max-deployments must be between 0 and "
              + ControllerConfig.METRICS_MAX_DEPLOYMENTS_LIMIT
              + ", not "
              + metricsMaxDeployments);
    }
    if (!logFormat.equals("json") && !logFormat.equals("text")) {
      throw new UserInputException("--log-format must be json or text, not " + logFormat);
    }
    return ControllerConfig.builder()
        .namespaces(namespaces)
        .ownNamespace(ownNamespace)
        .identity(identity)
        .leaderElection(leaderElection)
        .leaseName(leaseName)
        .webhook(webhook)
        .webhookPort(webhookPort)
        .webhookService(webhookService)
        .webhookConfiguration(webhookConfiguration)
        .tlsSecret(tlsSecret)
        .healthPort(healthPort)
        .metricsPort(metricsPort)
        .bindAddress(address)
        .workers(workers)
        .resync(resync)
        .metricsMaxDeployments(metricsMaxDeployments)
        .build();
  }

  @Override
  public Integer call() throws Exception {
    ControllerConfig config = config();
    CostReportSettings costSettings = costReportSettings();
    SpareDecision.Settings spares = spareSettings();
    if (logFormat.equals("json")) {
      jsonLogs();
    }
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Kubeconfig.requireExisting(System.getenv("KUBECONFIG"));
    KubernetesClient client = new KubernetesClientBuilder().build();
    // Health first: live (and not ready) while the preflight waits for the API server, so the
    // liveness probe does not restart a pod that only waits.
    var started = new java.util.concurrent.atomic.AtomicReference<ControllerRuntime>();
    java.util.function.BooleanSupplier live = () -> started.get() == null || started.get().live();
    java.util.function.BooleanSupplier ready = () -> started.get() != null && started.get().ready();
    HealthServer health;
    try {
      health =
          bind(
              "--health-port",
              config.bindAddress(),
              config.healthPort(),
              () ->
                  HealthServer.start(
                      config.bindAddress(), config.healthPort(), live, ready, registry::scrape));
    } catch (Exception e) {
      client.close();
      throw e;
    }
    HealthServer metrics;
    try {
      metrics =
          config.metricsPort() == config.healthPort()
              ? null
              : bind(
                  "--metrics-port",
                  config.bindAddress(),
                  config.metricsPort(),
                  () ->
                      HealthServer.start(
                          config.bindAddress(),
                          config.metricsPort(),
                          live,
                          ready,
                          registry::scrape));
    } catch (Exception e) {
      health.close();
      client.close();
      throw e;
    }
    preflight(client);
    if (costSettings != null) {
      preflightCostReports(client);
    }
    banner(client, config, costSettings).lines().forEach(LOG::info);
    var runtime =
        new ControllerRuntime(
            client,
            config,
            registry,
            Clock.systemUTC(),
            Loops.standard(costSettings, SpotNoticeSettings.production(), spares));
    started.set(runtime);
    var apiServer = new ApiServerWatch(client);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("shutting down (signal received)");
                  long closing = System.nanoTime();
                  apiServer.close();
                  runtime.close();
                  health.close();
                  if (metrics != null) {
                    metrics.close();
                  }
                  client.close();
                  LOG.info(
                      "stopped cleanly in {} ms",
                      Duration.ofNanos(System.nanoTime() - closing).toMillis());
                  stopped.countDown();
                }));
    bind("--webhook-port", config.bindAddress(), config.webhookPort(), runtime::start);
    apiServer.start();
    stopped.await();
    return 0;
  }

  /** The longest wait between two preflight attempts while the API server is unreachable. */
  static final Duration PREFLIGHT_MAX_BACKOFF = Duration.ofSeconds(30);

  /**
   * Waits for the API server (backoff 1 s doubling to 30 s, one log line per attempt: an outage
   * must not turn into a crash loop), then checks that it serves both CRDs, or one line saying what
   * to fix.
   */
  public static void preflight(KubernetesClient client) {
    awaitApiServer(client);
    if (!serves(client, Names.FLINK_DEPLOYMENT_API_VERSION, "flinkdeployments")) {
      client.close();
      throw new UserInputException(
          "the API server does not serve FlinkDeployments ("
              + Names.FLINK_DEPLOYMENT_API_VERSION
              + "): install the Apache Flink Kubernetes Operator (its CRDs) first");
    }
    String policies =
        dev.flinkspot.policy.FlinkSpotPolicy.GROUP
            + "/"
            + dev.flinkspot.policy.FlinkSpotPolicy.VERSION;
    if (!serves(client, policies, "flinkspotpolicies")) {
      client.close();
      throw new UserInputException(
          "the API server does not serve FlinkSpotPolicies ("
              + policies
              + "): kubectl apply -k k8s/base");
    }
  }

  /** The FlinkCostReport CRD is served, or one line saying how to install it. */
  public static void preflightCostReports(KubernetesClient client) {
    String reports =
        dev.flinkspot.cost.live.FlinkCostReport.GROUP
            + "/"
            + dev.flinkspot.cost.live.FlinkCostReport.VERSION;
    if (!serves(client, reports, dev.flinkspot.cost.live.FlinkCostReport.PLURAL)) {
      client.close();
      throw new UserInputException(
          "the API server does not serve FlinkCostReports ("
              + reports
              + "): kubectl apply -k k8s/base, or run with --no-cost-reports");
    }
  }

  /** Returns once the API server answers its version; retries with backoff until then. */
  static void awaitApiServer(KubernetesClient client) {
    Duration wait = Duration.ofSeconds(1);
    for (int attempt = 1; ; attempt++) {
      try {
        client.getKubernetesVersion();
        if (attempt > 1) {
          LOG.info("API server {} reachable again", client.getMasterUrl());
        }
        return;
      } catch (RuntimeException e) {
        LOG.warn(
            "cannot reach the Kubernetes API server at {} ({}); retrying in {} s (attempt {})",
            client.getMasterUrl(),
            ApiServerWatch.rootMessage(e),
            wait.toSeconds(),
            attempt);
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        client.close();
        throw new UserInputException("interrupted while waiting for the Kubernetes API server");
      }
      wait =
          wait.multipliedBy(2).compareTo(PREFLIGHT_MAX_BACKOFF) > 0
              ? PREFLIGHT_MAX_BACKOFF
              : wait.multipliedBy(2);
    }
  }

  static boolean serves(KubernetesClient client, String apiVersion, String plural) {
    try {
      var resources = client.getApiResources(apiVersion);
      return resources != null
          && resources.getResources().stream().anyMatch(r -> plural.equals(r.getName()));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** What opens a listening socket. */
  @FunctionalInterface
  interface Binding<T> {
    T open() throws Exception;
  }

  /**
   * Opens {@code binding}; a port already taken becomes one line naming the option and the port
   * (exit 2), not an internal error.
   */
  static <T> T bind(String option, String address, int port, Binding<T> binding) throws Exception {
    try {
      return binding.open();
    } catch (Exception e) {
      if (causedBy(e, "Cannot assign requested address")) {
        throw new UserInputException(
            "--bind-address "
                + address
                + " is not an address of this host: use "
                + LOOPBACK
                + " (this host only) or "
                + ALL_INTERFACES
                + " (every interface)");
      }
      if (portInUse(e)) {
        throw new UserInputException(
            option + " " + port + " is in use: choose another port, or stop what listens on it");
      }
      throw e;
    }
  }

  private static boolean causedBy(Throwable e, String message) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(message)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a bind failed because the port is taken: the JDK's BindException, or Netty's native
   * transport error (it reports EADDRINUSE as "Address already in use"), anywhere in the causes.
   */
  static boolean portInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.BindException) {
        return true;
      }
    }
    return causedBy(e, "Address already in use");
  }

  /** The first log lines: what runs, against which API server, listening where. */
  private StartupBanner banner(
      KubernetesClient client, ControllerConfig config, CostReportSettings costSettings) {
    String kubernetes;
    try {
      kubernetes = client.getKubernetesVersion().getGitVersion();
    } catch (RuntimeException e) {
      kubernetes = "version unknown";
    }
    var level = ((Logger) LoggerFactory.getLogger("dev.flinkspot")).getEffectiveLevel();
    return new StartupBanner(
        new VersionCommand.Provider().getVersion()[0],
        String.valueOf(client.getMasterUrl()),
        kubernetes,
        config,
        costSettings == null ? null : costReportInterval,
        costSettings == null ? null : costSettings.catalog().oldestAsOf(costRegion),
        prices == null ? null : prices.toString(),
        costRegion,
        level.toString(),
        logFormat);
  }

  static final String LOOPBACK = "127.0.0.1";
  static final String ALL_INTERFACES = "0.0.0.0";

  /**
   * In a pod: the kubelet sets KUBERNETES_SERVICE_HOST in every container (kubernetes.io/docs/
   * concepts/services-networking/connect-applications-service/#environment-variables), and the
   * client then uses the ServiceAccount.
   */
  static boolean inPod() {
    return System.getenv("KUBERNETES_SERVICE_HOST") != null;
  }

  private static void port(String option, int port) {
    if (port < 0 || port > 65535) {
      throw new UserInputException(option + " must be a port between 1 and 65535, not " + port);
    }
  }

  /** One JSON object per log line on stderr (logback's JsonEncoder). */
  private static void jsonLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "flinkspot-controller";
    }
  }
}
