package dev.flinkspot.cli;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.refresh.AwsPriceApis;
import dev.flinkspot.cost.refresh.PriceFileWriter;
import dev.flinkspot.cost.refresh.PriceRefresh;
import dev.flinkspot.cost.refresh.RefreshResult;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flinkspot prices refresh}: live prices from AWS, written as a price file. */
@Command(
    name = "refresh",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Fetch live prices for one region from AWS into a price file for --prices.",
      "",
      "Spot: EC2 DescribeSpotPriceHistory, Linux/UNIX; the figure is the mean of the latest price"
          + " in each availability zone.",
      "On-Demand: Pricing GetProducts, AmazonEC2, Linux, shared tenancy, no pre-installed"
          + " software, used capacity; for the catalog's instance types.",
      "Managed Flink: Pricing GetProducts, AmazonKinesisAnalytics; the KPU-hour (Java), running"
          + " storage and durable backup prices.",
      "Every figure carries its API and filter (source) and today's date (asOf). Figures AWS does"
          + " not return are left out, so the built-in catalog still applies to them; the summary"
          + " line names them.",
      "",
      "Credentials: the AWS SDK default chain (AWS_PROFILE, AWS_ACCESS_KEY_ID and"
          + " AWS_SECRET_ACCESS_KEY, SSO, or an instance/pod role), allowed the IAM actions"
          + " ec2:DescribeSpotPriceHistory and pricing:GetProducts. The endpoint follows the SDK's"
          + " AWS_ENDPOINT_URL settings.",
      "",
      "Exit codes: 0 written (the summary names anything missing); 1 internal error; 2 bad input,"
          + " no credentials, or nothing could be refreshed (one line says why)."
    })
final class PricesRefreshCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--region",
      required = true,
      paramLabel = "REGION",
      description = "AWS region code to refresh, e.g. us-east-1.")
  String region;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "Write the price file to FILE (replaced atomically; never half-written) and the summary"
              + " to standard output. Default: the price file to standard output, the summary to"
              + " standard error.")
  Path output;

  @Option(
      names = "--prices",
      paramLabel = "FILE",
      description =
          "Price file laid over the built-in catalog; its instanceTypes are refreshed too.")
  Path prices;

  @Option(
      names = "--endpoint-url",
      hidden = true,
      paramLabel = "URL",
      description = "One endpoint for both APIs (a local AWS-compatible server, for tests).")
  String endpointUrl;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    PriceCatalog catalog =
        prices == null ? CatalogLoader.builtIn() : CatalogLoader.withOverrides(prices);
    catalog.region(region); // rejects a code that is not an AWS region
    URI endpoint = endpoint();
    if (output != null) {
      PriceFileWriter.checkWritable(output);
    }
    RefreshResult result;
    try (AwsPriceApis aws = AwsPriceApis.connect(region, endpoint, clock)) {
      result =
          new PriceRefresh(aws, aws, aws, clock)
              .refresh(
                  region,
                  catalog.instanceTypes().keySet(),
                  Progress.onTerminal(spec.commandLine().getErr()));
    }
    if (result.figureCount() == 0) {
      throw new UserInputException(
          region
              + ": no prices refreshed: "
              + String.join("; ", result.missing())
              + " (nothing written)");
    }
    String header =
        "# Written by `flinkspot prices refresh --region "
            + region
            + "` on "
            + result.asOf()
            + ". Use it with --prices FILE;\n"
            + "# it holds only the refreshed figures, the built-in catalog supplies the rest.\n";
    String yaml = result.toYaml(header);
    if (output == null) {
      spec.commandLine().getOut().print(yaml);
      spec.commandLine().getOut().flush();
      spec.commandLine().getErr().println(result.summary("standard output"));
    } else {
      PriceFileWriter.write(output, yaml);
      spec.commandLine().getOut().println(result.summary(output.toString()));
    }
    return 0;
  }

  private URI endpoint() {
    if (endpointUrl == null) {
      return null;
    }
    try {
      URI uri = new URI(endpointUrl);
      if (uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new URISyntaxException(endpointUrl, "not an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new UserInputException(
          "--endpoint-url " + endpointUrl + ": use an http(s) URL such as http://127.0.0.1:5000");
    }
  }
}
