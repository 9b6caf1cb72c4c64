package dev.flinkspot.cli;

import dev.flinkspot.cost.RegionCoverage;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.Figure;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.catalog.PriceCatalog.RegionPrices;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flinkspot prices}: the price catalog in use, and refreshing it from AWS. */
@Command(
    name = "prices",
    mixinStandardHelpOptions = true,
    description =
        "Show the price catalog in use (every figure with its source and date), or refresh it from AWS.",
    subcommands = {PricesCommand.Show.class, PricesRefreshCommand.class})
final class PricesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code flinkspot prices show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print the catalog in use: each figure with its unit, date (asOf) and source.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--region",
        description = "Only this region (default: all regions with figures).")
    String region;

    @Option(
        names = "--prices",
        paramLabel = "FILE",
        description = "Price file laid over the built-in catalog.")
    Path prices;

    @Override
    public Integer call() {
      PriceCatalog catalog =
          prices == null ? CatalogLoader.builtIn() : CatalogLoader.withOverrides(prices);
      PrintWriter out = spec.commandLine().getOut();
      Map<String, RegionPrices> regions = new TreeMap<>(catalog.regions());
      if (region != null) {
        catalog.region(region); // rejects a code that is not an AWS region
        regions.keySet().retainAll(java.util.Set.of(region));
        if (regions.isEmpty()) {
          out.println(region + ": no figures in the catalog; supply them with --prices FILE");
        }
      }
      out.printf("%-58s %10s  %-18s %-10s %s%n", "figure", "value", "unit", "asOf", "source");
      regions.forEach(
          (name, p) -> {
            String at = "regions." + name + ".";
            if (p.managedFlink() != null) {
              row(out, at + "managedFlink.kpuHour", p.managedFlink().kpuHour());
              row(
                  out,
                  at + "managedFlink.runningStorageGbMonth",
                  p.managedFlink().runningStorageGbMonth());
              row(
                  out,
                  at + "managedFlink.durableBackupGbMonth",
                  p.managedFlink().durableBackupGbMonth());
            }
            if (p.eks() != null) {
              row(out, at + "eks.controlPlaneHour", p.eks().controlPlaneHour());
            }
            if (p.storage() != null) {
              row(out, at + "storage.s3StandardGbMonth", p.storage().s3StandardGbMonth());
              row(out, at + "storage.ebsGp3GbMonth", p.storage().ebsGp3GbMonth());
            }
            if (p.network() != null) {
              row(out, at + "network.interAzGbEachWay", p.network().interAzGbEachWay());
            }
            if (p.emrOnEks() != null) {
              row(out, at + "emrOnEks.vcpuHour", p.emrOnEks().vcpuHour());
              row(out, at + "emrOnEks.memoryGbHour", p.emrOnEks().memoryGbHour());
            }
            if (p.ec2() != null) {
              row(out, at + "ec2.spotDiscount", p.ec2().spotDiscount());
              new TreeMap<>(p.ec2().onDemandHour())
                  .forEach((t, f) -> row(out, at + "ec2.onDemandHour." + t, f));
              new TreeMap<>(p.ec2().spotHour())
                  .forEach((t, f) -> row(out, at + "ec2.spotHour." + t, f));
            }
          });
      if (region != null) {
        List<String> missing = RegionCoverage.missingForDefaults(catalog, region);
        out.println(
            missing.isEmpty()
                ? region + ": every figure the default comparison needs is known"
                : region
                    + ": missing for the default comparison (supply with --prices FILE, or"
                    + " `flinkspot prices refresh --region "
                    + region
                    + "`): "
                    + String.join(", ", missing));
      }
      out.printf(
          "%d instance types known (vCPU, memory, max pods): %s%n",
          catalog.instanceTypes().size(),
          String.join(", ", new TreeMap<>(catalog.instanceTypes()).keySet()));
      return 0;
    }

    private static void row(PrintWriter out, String name, Figure figure) {
      if (figure != null) {
        out.printf(
            "%-58s %10s  %-18s %-10s %s%n",
            name, figure.value().toPlainString(), figure.unit(), figure.asOf(), figure.source());
      }
    }
  }
}
