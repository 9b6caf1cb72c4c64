package dev.flinkspot.cli;

import dev.flinkspot.common.Bounds;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description =
          "Give up on the whole refresh after this many seconds, 1 to 3600, and write nothing;"
              + " ${DEFAULT-VALUE} by default.")
  int timeoutSeconds;

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
    Bounds.count("--timeout", timeoutSeconds, 1, 3_600);
    RefreshResult result = withinTimeout(catalog, endpoint);
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

  /**
   * The refresh, given up after --timeout: the SDK's timeouts are per call and per socket read, and
   * an endpoint that accepts and never answers kept it going for minutes. The worker is a daemon
   * thread, interrupted on timeout, so it cannot keep the JVM alive.
   */
  private RefreshResult withinTimeout(PriceCatalog catalog, URI endpoint) {
    ExecutorService worker =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "prices-refresh");
              thread.setDaemon(true);
              return thread;
            });
    Future<RefreshResult> refresh =
        worker.submit(
            () -> {
              try (AwsPriceApis aws = AwsPriceApis.connect(region, endpoint, clock)) {
                return new PriceRefresh(aws, aws, aws, clock)
                    .refresh(
                        region,
                        catalog.instanceTypes().keySet(),
                        Progress.onTerminal(spec.commandLine().getErr()));
              }
            });
    try {
      return refresh.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new UserInputException(
          region
              + ": AWS did not answer within --timeout "
              + timeoutSeconds
              + " s (nothing written): check the network and endpoint, or raise --timeout");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserInputException(region + ": interrupted (nothing written)");
    } finally {
      worker.shutdownNow();
    }
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
