package dev.flinkspot.cli;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.bill.BillQueries;
import dev.flinkspot.cost.bill.BillReader;
import dev.flinkspot.cost.bill.BillRender;
import dev.flinkspot.cost.bill.BillReport;
import dev.flinkspot.cost.bill.S3Export;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.PriceCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flinkspot bill}: the actual AWS bill per Flink job, against MSF for the same hours. */
@Command(
    name = "bill",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Attribute an AWS Data Exports bill to FlinkDeployments: CUR 2.0 with split",
      "cost allocation data for EKS, or FOCUS 1.x; Parquet, CSV or gzip CSV; a file or",
      "a folder. Per job: JobManager, TaskManager, Spot and On-Demand, and what MSF",
      "would have charged over the same hours; the cluster's shared costs; credits,",
      "refunds, savings plans. Exit codes: 0 ok, 2 bad input (one line names the",
      "column or option and the fix), 1 internal error."
    })
final class BillCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--export",
      required = true,
      paramLabel = "PATH",
      description = "Data Exports file or folder, local or s3://bucket/prefix/.")
  String export;

  @Option(
      names = "--s3-region",
      paramLabel = "REGION",
      description = "Region of the export's bucket (default: --region).")
  String s3Region;

  @Option(
      names = "--endpoint-url",
      paramLabel = "URL",
      description = "S3 endpoint override (an S3-compatible server).")
  java.net.URI endpoint;

  @Option(
      names = "--slots",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "Slots per TaskManager, for the parallelism MSF is priced at (default: ${DEFAULT-VALUE}, the example's).")
  int slots;

  @Option(
      names = "--tag",
      paramLabel = "ROLE=KEY",
      description =
          "Tag key of a pod label by role: app, component, policy, namespace (CUR 2.0 default: user_app, user_component, user_flinkspot_dev_policy, aws_eks_namespace; FOCUS: user:app, ...).")
  Map<String, String> tags;

  @Option(
      names = "--region",
      defaultValue = "us-east-1",
      description = "Region of the MSF prices (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(
      names = "--parallelism-per-kpu",
      paramLabel = "N",
      defaultValue = "1",
      description = "MSF ParallelismPerKPU, 1..8 (default: ${DEFAULT-VALUE}).")
  int parallelismPerKpu;

  @Option(
      names = "--prices",
      paramLabel = "FILE",
      description = "Price file laid over the built-in catalog.")
  Path prices;

  @Option(
      names = {"-o", "--format"},
      defaultValue = "table",
      description =
          "Output format, as kubectl's -o: ${COMPLETION-CANDIDATES}; the default is"
              + " ${DEFAULT-VALUE}.")
  CostCommand.OutputFormat format;

  @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE.")
  Path output;

  @Override
  public Integer call() throws IOException {
    if (slots < 1 || slots > 1024) {
      throw new UserInputException("--slots = " + slots + ": use 1 to 1024 slots per TaskManager");
    }
    CostOptions defaults = CostOptions.defaults();
    CostOptions options =
        new CostOptions(
            defaults.hours(),
            parallelismPerKpu,
            defaults.msfRunningStorage(),
            defaults.msfDurableBackups(),
            defaults.stateGb(),
            defaults.clusterJobs(),
            defaults.view());
    PriceCatalog catalog =
        prices == null ? CatalogLoader.builtIn() : CatalogLoader.withOverrides(prices);
    BillReader.Options read =
        new BillReader.Options(tagKeys(), slots, options, catalog.region(region));
    BillReport report;
    if (export.startsWith("s3://")) {
      Path local = Files.createTempDirectory("flinkspot-bill-");
      try {
        S3Export.download(export, s3Region == null ? region : s3Region, endpoint, local);
        report = BillReader.read(local.toString(), export, read);
      } finally {
        deleteTree(local);
      }
    } else {
      report = BillReader.read(export, read);
    }
    String text =
        switch (format) {
          case table -> BillRender.table(report);
          case json -> BillRender.json(report);
          case html -> BillRender.html(report);
        };
    ReportOutput.write(spec, output, format, text);
    return 0;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  private BillQueries.TagKeys tagKeys() {
    if (tags == null || tags.isEmpty()) {
      return null;
    }
    for (String role : tags.keySet()) {
      if (!java.util.Set.of("app", "component", "policy", "namespace").contains(role)) {
        throw new UserInputException(
            "--tag " + role + "=...: the roles are app, component, policy and namespace");
      }
    }
    BillQueries.TagKeys d = BillReader.CUR_TAGS;
    return new BillQueries.TagKeys(
        tags.getOrDefault("app", d.app()),
        tags.getOrDefault("component", d.component()),
        tags.getOrDefault("policy", d.policy()),
        tags.getOrDefault("namespace", d.namespace()));
  }
}
