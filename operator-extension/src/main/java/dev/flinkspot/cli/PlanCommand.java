package dev.flinkspot.cli;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.report.ComparisonTable;
import dev.flinkspot.plan.InstanceTypeChoice;
import dev.flinkspot.plan.NodeShape;
import dev.flinkspot.plan.PlanRequest;
import dev.flinkspot.plan.Planner;
import dev.flinkspot.plan.Planner.Plan;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flinkspot plan}: a Spot Flink cluster sized for an ingest rate, and its cost vs MSF. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Size a self-managed Flink deployment for an ingest rate with AWS's rule for",
      "Managed Flink (1 KPU = 1 vCPU + 4 GB per MB/s), pick at least three Spot",
      "instance types of one shape from the catalog, write an eksctl ClusterConfig,",
      "a FlinkSpotPolicy and a FlinkDeployment to --output, and print what the plan",
      "costs next to what MSF would bill.",
      "Exit codes: 0 ok, 2 bad input (one line names the field and the fix),",
      "1 internal error."
    })
final class PlanCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--ingest-mb-per-s",
      required = true,
      paramLabel = "X",
      description = "Ingest rate in MB/s (1 KPU-equivalent per MB/s).")
  BigDecimal ingestMbPerS;

  @Option(names = "--region", required = true, paramLabel = "R", description = "AWS region code.")
  String region;

  @Option(
      names = "--state-gb",
      paramLabel = "GB",
      defaultValue = "0",
      description = "Checkpoint state size, priced as S3 (default: ${DEFAULT-VALUE}).")
  BigDecimal stateGb;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      defaultValue = "flinkspot-plan",
      description =
          "Directory for cluster.yaml, policy.yaml, flinkdeployment.yaml (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(
      names = "--node-shape",
      paramLabel = "VCPUxGIB",
      defaultValue = "4x16",
      description = "Spot TaskManager node shape, vCPUs x GiB (default: ${DEFAULT-VALUE}).")
  String nodeShape;

  @Option(
      names = {"--arch", "--architecture"},
      paramLabel = "ARCH",
      defaultValue = "x86_64",
      description =
          "CPU architecture of the Spot types: x86_64, arm64 (Graviton) or any (the cheaper of"
              + " the two by estimated Spot price; the image must then be multi-arch, as flink:1.20"
              + " is) (default: ${DEFAULT-VALUE}).")
  String architecture;

  @Option(
      names = "--zones",
      split = ",",
      paramLabel = "ZONE",
      description = "Availability zones (default: the region's a, b and c).")
  List<String> zones;

  @Option(
      names = "--cluster-name",
      paramLabel = "NAME",
      defaultValue = "flinkspot",
      description = "EKS cluster name (default: ${DEFAULT-VALUE}).")
  String clusterName;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = "stock-ticker",
      description = "FlinkDeployment name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--namespace",
      paramLabel = "NAMESPACE",
      defaultValue = "flink",
      description = "Namespace of the FlinkDeployment and policy (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--jobmanager-instance-type",
      paramLabel = "TYPE",
      defaultValue = "m5.large",
      description = "On-Demand type of the JobManager group (default: ${DEFAULT-VALUE}).")
  String jobManagerInstanceType;

  @Option(
      names = "--image",
      paramLabel = "IMAGE",
      defaultValue = "<account>.dkr.ecr.<region>.amazonaws.com/flinkspot/stock-ticker:0.1.0",
      description = "Job image (default: ${DEFAULT-VALUE}).")
  String image;

  @Option(
      names = "--checkpoint-bucket",
      paramLabel = "BUCKET",
      defaultValue = "flinkspot-checkpoints-<account>",
      description = "S3 bucket for checkpoints, savepoints and HA (default: ${DEFAULT-VALUE}).")
  String checkpointBucket;

  @Option(
      names = "--msk-cluster",
      paramLabel = "NAME",
      defaultValue = "flinkspot",
      description =
          "Amazon MSK cluster the job reads, IAM access control (default: ${DEFAULT-VALUE}).")
  String mskCluster;

  @Option(
      names = "--kafka-topic",
      paramLabel = "TOPIC",
      defaultValue = "stock-ticker",
      description = "Kafka topic the Flink pods may read (default: ${DEFAULT-VALUE}).")
  String kafkaTopic;

  @Option(
      names = "--consumer-group",
      paramLabel = "GROUP",
      defaultValue = "flinkspot-stock-ticker",
      description = "Kafka consumer group of the job (default: ${DEFAULT-VALUE}).")
  String consumerGroup;

  @Option(
      names = "--prices",
      paramLabel = "FILE",
      description = "Price file laid over the built-in catalog (see `flinkspot prices`).")
  Path prices;

  @Override
  public Integer call() {
    if (ingestMbPerS.signum() <= 0) {
      throw new UserInputException(
          "--ingest-mb-per-s = "
              + ingestMbPerS.toPlainString()
              + ": use a positive rate in MB/s, e.g. 10");
    }
    PriceCatalog catalog =
        prices == null ? CatalogLoader.builtIn() : CatalogLoader.withOverrides(prices);
    var regionPrices = catalog.region(region);
    if (!List.of("x86_64", "arm64", "any").contains(architecture)) {
      throw new UserInputException("--arch '" + architecture + "': use x86_64, arm64 or any");
    }
    boolean askedAny = architecture.equals("any");
    if (askedAny) {
      NodeShape asked = NodeShape.parse(nodeShape, "x86_64");
      architecture =
          InstanceTypeChoice.cheaperArchitecture(
              asked.vcpu(),
              asked.memoryGiB(),
              dev.flinkspot.plan.Sizing.of(ingestMbPerS, asked),
              catalog,
              regionPrices);
    }
    PlanRequest request =
        new PlanRequest(
            ingestMbPerS,
            region,
            stateGb,
            NodeShape.parse(nodeShape, architecture),
            zones,
            clusterName,
            name,
            namespace,
            jobManagerInstanceType,
            image,
            checkpointBucket,
            mskCluster,
            kafkaTopic,
            consumerGroup);
    Plan plan = Planner.plan(request, catalog);
    write(plan.files());

    PrintWriter out = spec.commandLine().getOut();
    var sizing = plan.sizing();
    out.printf(
        "Plan for %s MB/s in %s: %d KPU-equivalents (AWS's rule: 1 KPU per MB/s), as %d slots on"
            + " %d Spot node(s) = %d vCPU / %s GiB of node capacity; the TaskManagers request %s"
            + " vCPU / %s GiB of it (the rest is EKS's reservation and the node DaemonSets)%n",
        ingestMbPerS.stripTrailingZeros().toPlainString(),
        region,
        sizing.kpus(),
        sizing.parallelism(),
        sizing.nodes(),
        sizing.nodes() * request.shape().vcpu(),
        request
            .shape()
            .memoryGiB()
            .multiply(BigDecimal.valueOf(sizing.nodes()))
            .stripTrailingZeros()
            .toPlainString(),
        sizing
            .taskManager()
            .cpu()
            .multiply(BigDecimal.valueOf(sizing.taskManagers()))
            .stripTrailingZeros()
            .toPlainString(),
        sizing
            .taskManager()
            .memoryGiB()
            .multiply(BigDecimal.valueOf(sizing.taskManagers()))
            .stripTrailingZeros()
            .toPlainString());
    out.printf(
        "  TaskManagers: %d x (%s vCPU, %s, %d slots) on %d Spot node(s) of %s, %d per node%n",
        sizing.taskManagers(),
        sizing.taskManager().cpu().toPlainString(),
        sizing.taskManagerMemory(),
        sizing.slotsPerTaskManager(),
        sizing.nodes(),
        request.shape(),
        sizing.taskManagersPerNode());
    char suffix = 'a';
    for (List<String> group : plan.spotGroups()) {
      out.printf(
          "  Spot group taskmanagers-spot-%c: %s over %s%n",
          suffix++, String.join(", ", group), String.join(", ", request.zones()));
    }
    out.printf("  JobManager: 1 x (1 vCPU, 2048m) On-Demand on %s%n", jobManagerInstanceType);
    if (!request.shape().architecture().equals("x86_64")) {
      out.printf(
          "  Architecture %s%s: the job image must be built for it (flink:1.20 is multi-arch)%n",
          request.shape().architecture(),
          askedAny ? " (--arch any: the cheaper by estimated Spot price)" : "");
    }
    for (String file : plan.files().keySet()) {
      out.println("wrote " + output.resolve(file));
    }
    out.println();
    out.print(ComparisonTable.render(List.of(plan.comparison()), List.of()));
    out.printf(
        "%nSame numbers from the files: flinkspot cost %s --eksctl %s --parallelism %d --region %s"
            + " --shuffle-mb-per-s %s --zones %d%s%s%n",
        output.resolve(Planner.DEPLOYMENT_FILE),
        output.resolve(Planner.CLUSTER_FILE),
        sizing.kpus(),
        region,
        ingestMbPerS.stripTrailingZeros().toPlainString(),
        request.zones().size(),
        stateGb.signum() == 0 ? "" : " --state-gb " + stateGb.toPlainString(),
        prices == null ? "" : " --prices " + prices);
    out.flush();
    return 0;
  }

  private void write(Map<String, String> files) {
    try {
      Files.createDirectories(output);
      for (var file : files.entrySet()) {
        Files.writeString(output.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UserInputException("--output " + output + ": cannot write: " + e.getMessage(), e);
    }
  }
}
