package dev.flinkspot.cli;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.CostComparison;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.CostOptions.SelfManagedView;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.MissingFigureException;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.catalog.RegionPriceView;
import dev.flinkspot.cost.nodes.ClusterNodeGroups;
import dev.flinkspot.cost.nodes.EksctlNodeGroups;
import dev.flinkspot.cost.report.ComparisonHtml;
import dev.flinkspot.cost.report.ComparisonJson;
import dev.flinkspot.cost.report.ComparisonTable;
import dev.flinkspot.cost.workload.DefaultShapes;
import dev.flinkspot.cost.workload.FlinkDeploymentWorkloads;
import dev.flinkspot.cost.workload.FlinkWorkload;
import dev.flinkspot.cost.workload.ManifestReader;
import dev.flinkspot.plan.ReferenceJobs;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flinkspot cost}: what a Flink job costs self-managed on EKS vs on Managed Flink. */
@Command(
    name = "cost",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Compare what a Flink job costs self-managed on EKS (On-Demand JobManagers, Spot",
      "TaskManagers) with what Amazon Managed Service for Apache Flink (MSF) would bill.",
      "",
      "With FILE (a FlinkDeployment manifest, possibly multi-document): one comparison per",
      "FlinkDeployment. Without FILE: the MSF bill for --parallelism next to the self-managed",
      "cost of the default shape (TaskManagers of 1.75 vCPU / 7 GiB / 2 slots).",
      "Three bills: MSF; self-managed on EKS (nodes, volumes, control plane,",
      "system node group, checkpoints, inter-AZ shuffle with --shuffle-mb-per-s);",
      "EMR on EKS (the same nodes plus EMR's per-vCPU and per-GB uplift).",
      "A figure the catalog lacks is named (all of them at once), and the bills",
      "that can be priced still are.",
      "Not modelled: MSF Studio notebooks (2 extra KPUs instead of 1).",
      "Exit codes: 0 ok, 2 bad input (one line names the field and the fix), 1 internal error."
    })
final class CostCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      description = "FlinkDeployment manifest (YAML, as for kubectl apply).")
  Path file;

  @Option(
      names = "--region",
      defaultValue = "us-east-1",
      description = "AWS region (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(
      names = "--hours",
      defaultValue = "730",
      description = "Hours of running to price (default: ${DEFAULT-VALUE}, one month).")
  BigDecimal hours;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "Parallelism to price; overrides the manifest's.")
  Integer parallelism;

  @Option(
      names = "--parallelism-per-kpu",
      paramLabel = "N",
      defaultValue = "1",
      description = "MSF ParallelismPerKPU, 1..8 (default: ${DEFAULT-VALUE}).")
  int parallelismPerKpu;

  @Option(
      names = "--prices",
      paramLabel = "FILE",
      description = "Price file laid over the built-in catalog (see `flinkspot prices`).")
  Path prices;

  @Option(
      names = "--eksctl",
      paramLabel = "FILE",
      description =
          "eksctl ClusterConfig whose node groups (label flinkspot.dev/pool) the pods run on; default: the layout of eksctl/cluster.yaml.")
  Path eksctl;

  @Option(
      names = "--cluster-jobs",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Jobs sharing the EKS cluster; amortises the control plane (default: ${DEFAULT-VALUE}).")
  int clusterJobs;

  @Option(
      names = "--state-gb",
      paramLabel = "GB",
      defaultValue = "0",
      description =
          "Checkpoint state size: S3 storage self-managed, durable backups on MSF (default: ${DEFAULT-VALUE}).")
  BigDecimal stateGb;

  @Option(
      names = "--msf-storage",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Bill MSF running application storage, 50 GB per KPU (default: on).")
  boolean msfStorage;

  @Option(
      names = "--msf-backups",
      description = "Bill MSF durable application backups of --state-gb.")
  boolean msfBackups;

  @Option(
      names = "--view",
      description =
          "Self-managed headline: ${COMPLETION-CANDIDATES} (default: what you would pay:"
              + " dedicated alone on a cluster, shared with --cluster-jobs > 1).")
  SelfManagedView view;

  @Option(
      names = "--shuffle-mb-per-s",
      paramLabel = "MB",
      description =
          "MB/s the TaskManagers exchange (keyed shuffles; about the ingest rate for a keyed job),"
              + " 0..100000: prices inter-AZ transfer. Default: not counted, and the report says so.")
  BigDecimal shuffleMbPerS;

  @Option(
      names = "--zones",
      paramLabel = "Z",
      defaultValue = "3",
      description =
          "Availability zones the TaskManagers spread over, 1..6; (Z-1)/Z of the shuffle crosses"
              + " zones (default: ${DEFAULT-VALUE}, as eksctl/cluster.yaml).")
  int zones;

  @Option(
      names = "--reference-jobs",
      description =
          "Print the reference table instead: 4, 10 and 64 KPU jobs in --region, MSF vs EMR on EKS"
              + " vs self-managed as planned and with each lever (Graviton, single zone, shared"
              + " cluster), and whether self-managed reaches 35%% of the MSF bill.")
  boolean referenceJobs;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write the report to FILE instead of standard output.")
  Path output;

  @Override
  public Integer call() throws IOException {
    if (parallelism != null && parallelism < 1) {
      throw new UserInputException("--parallelism = " + parallelism + ": use a positive number");
    }
    CostOptions options =
        new CostOptions(
            hours,
            parallelismPerKpu,
            msfStorage,
            msfBackups,
            stateGb,
            clusterJobs,
            view,
            shuffleMbPerS,
            zones);
    PriceCatalog catalog =
        prices == null ? CatalogLoader.builtIn() : CatalogLoader.withOverrides(prices);
    RegionPriceView regionPrices = catalog.region(region);
    if (referenceJobs) {
      spec.commandLine()
          .getOut()
          .print(ReferenceJobs.render(ReferenceJobs.rows(catalog, region), region));
      spec.commandLine().getOut().flush();
      return 0;
    }
    ClusterNodeGroups fromFile = eksctl == null ? null : EksctlNodeGroups.read(eksctl);
    OptionalInt override = parallelism == null ? OptionalInt.empty() : OptionalInt.of(parallelism);

    List<CostComparison> comparisons = new ArrayList<>();
    List<String> skipped = List.of();
    if (file == null) {
      if (parallelism == null) {
        throw new UserInputException(
            "nothing to compare: give a FlinkDeployment manifest FILE or --parallelism N"
                + " (e.g. `flinkspot cost k8s/examples/stock-ticker.yaml`)");
      }
      FlinkWorkload workload = DefaultShapes.forParallelism(parallelism);
      comparisons.add(
          CostComparison.of(
              workload, groupsFor(workload, fromFile, catalog), options, regionPrices));
    } else {
      ManifestReader.Manifest manifest = ManifestReader.read(file);
      skipped = manifest.skipped();
      if (manifest.deployments().isEmpty()) {
        throw new UserInputException(
            file
                + ": no FlinkDeployment (apiVersion flink.apache.org/v1beta1) in it"
                + (skipped.isEmpty() ? "" : "; skipped " + String.join("; ", skipped)));
      }
      for (FlinkDeployment deployment : manifest.deployments()) {
        FlinkWorkload workload = FlinkDeploymentWorkloads.from(deployment, override);
        comparisons.add(
            CostComparison.of(
                workload, groupsFor(workload, fromFile, catalog), options, regionPrices));
      }
    }
    String report =
        switch (format) {
          case table -> ComparisonTable.render(comparisons, skipped);
          case json -> ComparisonJson.render(comparisons, skipped);
          case html -> ComparisonHtml.render(comparisons, skipped);
        };
    if (output == null) {
      spec.commandLine().getOut().print(report);
      spec.commandLine().getOut().flush();
    } else {
      try {
        Files.writeString(output, report, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UserInputException("--output " + output + ": cannot write: " + e.getMessage(), e);
      }
      spec.commandLine().getOut().println("wrote " + format + " report to " + output);
    }
    // A bill MSF or self-managed could not price is named on stderr too (EMR on EKS, which has
    // no built-in prices, is named in the report only).
    List<String> missing = new ArrayList<>();
    comparisons.stream()
        .filter(c -> !c.complete())
        .forEach(
            c ->
                c.missingFigures().stream()
                    .filter(f -> !missing.contains(f))
                    .forEach(missing::add));
    if (!missing.isEmpty()) {
      spec.commandLine().getErr().println("note: " + MissingFigureException.message(missing));
      spec.commandLine().getErr().flush();
    }
    return 0;
  }

  /**
   * The node groups of {@code --eksctl} as given (a pod that does not fit them is an error), or the
   * default families sized so that the pods fit.
   */
  static ClusterNodeGroups groupsFor(
      FlinkWorkload workload, ClusterNodeGroups fromFile, PriceCatalog catalog) {
    return fromFile != null
        ? fromFile
        : ClusterNodeGroups.defaultsFitting(workload.jobManager(), workload.taskManager(), catalog);
  }

  /** Report formats. */
  enum OutputFormat {
    table,
    json,
    html
  }
}
