package dev.flinkspot.cost.refresh;

import dev.flinkspot.common.UserInputException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryRequest;
import software.amazon.awssdk.services.ec2.model.SpotPrice;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.pricing.model.Filter;
import software.amazon.awssdk.services.pricing.model.FilterType;
import software.amazon.awssdk.services.pricing.model.GetProductsRequest;

/**
 * The price sources on the AWS SDK for Java v2: Pricing {@code GetProducts} (queried in us-east-1
 * with a {@code regionCode} filter) and EC2 {@code DescribeSpotPriceHistory} in the target region.
 * Credentials come from the SDK's default chain; the endpoint from {@code --endpoint-url} or the
 * SDK's own {@code AWS_ENDPOINT_URL} settings.
 */
public final class AwsPriceApis
    implements OnDemandPriceSource, SpotPriceSource, ManagedFlinkPriceSource, AutoCloseable {

  /** The Price List API is served from us-east-1 (also eu-central-1 and ap-south-1). */
  static final Region PRICING_API_REGION = Region.US_EAST_1;

  /** Instance types per {@code ANY_OF} filter value, to keep each request small. */
  private static final int TYPES_PER_QUERY = 20;

  private final AwsCredentialsProvider credentials;
  private final SdkHttpClient http;
  private final PricingClient pricing;
  private final Ec2Client ec2;
  private final Clock clock;

  private AwsPriceApis(
      AwsCredentialsProvider credentials,
      SdkHttpClient http,
      PricingClient pricing,
      Ec2Client ec2,
      Clock clock) {
    this.credentials = credentials;
    this.http = http;
    this.pricing = pricing;
    this.ec2 = ec2;
    this.clock = clock;
  }

  /**
   * Clients for {@code region}; fails with a one-line {@link UserInputException} when the default
   * credential chain finds no credentials.
   *
   * @param endpoint an endpoint override for both APIs (a local AWS-compatible server), or null
   */
  public static AwsPriceApis connect(String region, URI endpoint, Clock clock) {
    AwsCredentialsProvider credentials = requireCredentials();
    SdkHttpClient http =
        ApacheHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60))
            .build();
    var pricing =
        PricingClient.builder()
            .region(PRICING_API_REGION)
            .credentialsProvider(credentials)
            .httpClient(http)
            .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMinutes(3)));
    var ec2 =
        Ec2Client.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .httpClient(http)
            .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMinutes(3)));
    if (endpoint != null) {
      pricing.endpointOverride(endpoint);
      ec2.endpointOverride(endpoint);
    }
    return new AwsPriceApis(credentials, http, pricing.build(), ec2.build(), clock);
  }

  /** The default credential chain's provider, once it has shown that it finds credentials. */
  public static AwsCredentialsProvider requireCredentials() {
    DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build();
    try {
      provider.resolveCredentials();
      return provider;
    } catch (SdkException e) {
      provider.close();
      throw new UserInputException(
          "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
              + " (or run on an instance/pod with a role)");
    }
  }

  @Override
  public List<String> ec2Products(String region, Collection<String> instanceTypes) {
    List<String> types = List.copyOf(instanceTypes);
    List<String> documents = new ArrayList<>();
    for (int from = 0; from < types.size(); from += TYPES_PER_QUERY) {
      List<String> batch = types.subList(from, Math.min(types.size(), from + TYPES_PER_QUERY));
      List<Filter> filters = new ArrayList<>();
      filters.add(term("regionCode", region));
      OnDemandFigures.FILTERS.forEach((field, value) -> filters.add(term(field, value)));
      filters.add(
          Filter.builder()
              .type(FilterType.ANY_OF)
              .field("instanceType")
              .value(String.join(",", batch))
              .build());
      documents.addAll(products("AmazonEC2", filters));
    }
    return documents;
  }

  @Override
  public List<String> managedFlinkProducts(String region) {
    return products(ManagedFlinkFigures.SERVICE_CODE, List.of(term("regionCode", region)));
  }

  private List<String> products(String serviceCode, List<Filter> filters) {
    GetProductsRequest request =
        GetProductsRequest.builder()
            .serviceCode(serviceCode)
            .formatVersion("aws_v1")
            .filters(filters)
            .maxResults(100)
            .build();
    try {
      List<String> documents = new ArrayList<>();
      pricing.getProductsPaginator(request).forEach(page -> documents.addAll(page.priceList()));
      return documents;
    } catch (SdkException e) {
      throw failure("AWS Pricing GetProducts (" + serviceCode + ")", "pricing:GetProducts", e);
    }
  }

  @Override
  public List<SpotPriceSample> spotPrices(String region, Collection<String> instanceTypes) {
    // A start time of now returns, per type and zone, the price in effect now.
    DescribeSpotPriceHistoryRequest request =
        DescribeSpotPriceHistoryRequest.builder()
            .instanceTypesWithStrings(instanceTypes)
            .productDescriptions(SpotFigures.LINUX_PRODUCTS)
            .startTime(clock.instant())
            .maxResults(1000)
            .build();
    try {
      List<SpotPriceSample> samples = new ArrayList<>();
      ec2.describeSpotPriceHistoryPaginator(request)
          .forEach(page -> page.spotPriceHistory().forEach(p -> samples.add(sample(p))));
      return samples;
    } catch (SdkException e) {
      throw failure("AWS EC2 DescribeSpotPriceHistory", "ec2:DescribeSpotPriceHistory", e);
    }
  }

  private static SpotPriceSample sample(SpotPrice price) {
    java.math.BigDecimal usd;
    try {
      usd = price.spotPrice() == null ? null : new java.math.BigDecimal(price.spotPrice());
    } catch (NumberFormatException e) {
      usd = null;
    }
    return new SpotPriceSample(
        price.instanceTypeAsString(),
        price.availabilityZone(),
        price.productDescriptionAsString(),
        usd,
        price.timestamp());
  }

  private static Filter term(String field, String value) {
    return Filter.builder().type(FilterType.TERM_MATCH).field(field).value(value).build();
  }

  /** One line naming the API and what went wrong; never the request or the credentials. */
  static PriceSourceException failure(String api, String permission, SdkException e) {
    String reason;
    if (e instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      reason =
          "HTTP "
              + service.statusCode()
              + (code == null || code.isBlank() ? "" : " " + firstLine(code));
      if (service.statusCode() == 401
          || service.statusCode() == 403
          || (code != null && (code.contains("Unauthorized") || code.contains("AccessDenied")))) {
        reason += ": the credentials need " + permission;
      }
    } else {
      reason = firstLine(e.getMessage());
    }
    return new PriceSourceException(api + " failed: " + reason, e);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "no detail";
    }
    String line = text.strip().lines().findFirst().orElse("no detail");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  @Override
  public void close() {
    pricing.close();
    ec2.close();
    http.close();
    if (credentials instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // nothing held that outlives the process
      }
    }
  }
}
