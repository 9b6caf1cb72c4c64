package dev.flinkspot.cli;

import dev.flinkspot.common.Bounds;
import dev.flinkspot.common.UserInputException;
import dev.flinkspot.common.YamlFiles;
import dev.flinkspot.cost.live.FlinkCostReport;
import dev.flinkspot.cost.report.LiveReports;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flinkspot report}: the live FlinkCostReports of a cluster. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Print the live cost reports the controller keeps.",
      "",
      "One FlinkCostReport per governed FlinkDeployment: what its pods cost on their nodes now and"
          + " since the report began, next to MSF for the same parallelism. Uses $KUBECONFIG or"
          + " ~/.kube/config (its current namespace by default).",
      "",
      "The EKS control plane is paid once per cluster: the running governed deployments share it"
          + " in equal parts (column CLUSTER SHARED BY of kubectl), and the table's last line tells"
          + " the whole figure once. A report whose deployment left its policy is Closed: its"
          + " totals are final, kept until the deployment is deleted; export them with -o json"
          + " --output FILE.",
      "",
      "Exit codes: 0 ok; 1 internal error; 2 cluster unreachable or CRD not installed, said in one"
          + " line."
    })
final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "Namespace (default: the kubeconfig's).")
  String namespace;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Reports of every namespace.")
  boolean allNamespaces;

  @Option(
      names = {"-o", "--format"},
      defaultValue = "table",
      description =
          "Output format, as kubectl's -o: ${COMPLETION-CANDIDATES}; the default is"
              + " ${DEFAULT-VALUE}.")
  CostCommand.OutputFormat format;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write the report to FILE instead of standard output.")
  Path output;

  /** Tests point the command at their API server. */
  static java.util.function.Supplier<KubernetesClient> clients =
      () -> new KubernetesClientBuilder().withConfig(interactiveConfig()).build();

  /**
   * The kubeconfig's settings for a command a person waits on: no retries (Fabric8 retries 10 times
   * with backoff by default, 20 s and more against a cluster that is down), 3 s to connect, 10 s
   * per request. A kubeconfig that is too large or not YAML is one line, like any bad input.
   */
  static Config interactiveConfig() {
    String files = System.getenv("KUBECONFIG");
    Kubeconfig.requireExisting(files);
    List<String> paths =
        files == null || files.isBlank()
            ? List.of(Path.of(System.getProperty("user.home"), ".kube", "config").toString())
            : List.of(files.split(java.io.File.pathSeparator));
    for (String path : paths) {
      Path file = Path.of(path);
      try {
        if (Files.exists(file)
            && (!Files.isRegularFile(file) || Files.size(file) > YamlFiles.MAX_BYTES)) {
          throw new UserInputException(
              "kubeconfig " + Bounds.shown(path) + ": not a regular file of at most 4 MiB");
        }
      } catch (IOException e) {
        throw new UserInputException(
            "kubeconfig " + Bounds.shown(path) + ": cannot read: " + e.getMessage());
      }
    }
    Config config;
    try {
      config = Config.autoConfigure(null);
    } catch (RuntimeException e) {
      throw new UserInputException(
          "cannot load the kubeconfig ("
              + (files == null ? "~/.kube/config" : "KUBECONFIG")
              + "): "
              + YamlFiles.firstLine(root(e)));
    }
    config.setRequestRetryBackoffLimit(0);
    config.setConnectionTimeout(3_000);
    config.setRequestTimeout(10_000);
    return config;
  }

  @Override
  public Integer call() throws IOException {
    if (allNamespaces && namespace != null) {
      throw new UserInputException("give -n NS or -A, not both");
    }
    List<FlinkCostReport> reports;
    try (KubernetesClient client = clients.get()) {
      reports = read(client);
    }
    reports =
        reports.stream()
            .sorted(
                Comparator.comparing((FlinkCostReport r) -> r.getMetadata().getNamespace())
                    .thenComparing(r -> r.getMetadata().getName()))
            .toList();
    String text =
        switch (format) {
          case table -> LiveReports.table(reports);
          case json -> LiveReports.json(reports);
          case html -> LiveReports.html(reports);
        };
    if (output == null) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    } else {
      try {
        Files.writeString(output, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UserInputException("--output " + output + ": cannot write: " + e.getMessage(), e);
      }
      spec.commandLine().getOut().println("wrote " + format + " report to " + output);
    }
    return 0;
  }

  private List<FlinkCostReport> read(KubernetesClient client) {
    try {
      var reports = client.resources(FlinkCostReport.class);
      return (allNamespaces
              ? reports.inAnyNamespace().list()
              : reports.inNamespace(namespace == null ? client.getNamespace() : namespace).list())
          .getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new UserInputException(
            "the cluster at "
                + client.getMasterUrl()
                + " does not serve FlinkCostReports (flinkspot.dev/v1alpha1):"
                + " install the controller with kubectl apply -k k8s/base");
      }
      if (e.getCode() == 401 || e.getCode() == 403) {
        throw new UserInputException(
            "not allowed to list FlinkCostReports at "
                + client.getMasterUrl()
                + " (HTTP "
                + e.getCode()
                + "): use a kubeconfig with read access to flinkcostreports.flinkspot.dev");
      }
      throw new UserInputException(
          "cannot reach the Kubernetes API server at "
              + client.getMasterUrl()
              + " ("
              + root(e)
              + "): set KUBECONFIG to a reachable cluster");
    }
  }

  private static String root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
