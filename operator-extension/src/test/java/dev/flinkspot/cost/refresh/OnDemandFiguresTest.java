package dev.flinkspot.cost.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.cost.catalog.Figure;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EC2 price-list documents become On-Demand figures; only the matching products count. */
class OnDemandFiguresTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

  @Test
  void linuxSharedUsedProductsOfTheRegionBecomeFigures() {
    Map<String, Figure> figures =
        OnDemandFigures.from(
            RecordedResponses.priceList(RecordedResponses.EC2_US_EAST_2),
            "us-east-2",
            List.of("m5.large", "m5.xlarge", "m7g.xlarge", "c5.large", "r5.large"),
            TODAY);

    assertThat(figures).containsOnlyKeys("m5.large", "m5.xlarge", "m7g.xlarge");
    Figure m5 = figures.get("m5.large");
    assertThat(m5.value()).isEqualByComparingTo("0.096");
    assertThat(m5.value().toPlainString()).isEqualTo("0.096");
    assertThat(m5.unit()).isEqualTo("USD/instance-hour");
    assertThat(m5.asOf()).isEqualTo(TODAY);
    assertThat(m5.source())
        .contains("AWS Pricing GetProducts", "AmazonEC2", "regionCode=us-east-2")
        .contains("operatingSystem=Linux", "tenancy=Shared", "preInstalledSw=NA")
        .contains("capacitystatus=Used", "SKU 2WTMTR9HDDT7AA73");
    assertThat(figures.get("m7g.xlarge").value()).isEqualByComparingTo("0.1632");
  }

  @Test
  void aTypeWhoseMatchingProductsDisagreeIsLeftOut() {
    List<String> documents =
        new ArrayList<>(RecordedResponses.priceList(RecordedResponses.EC2_US_EAST_2));
    documents.add(documents.get(0).replace("0.0960000000", "0.1010000000"));

    Map<String, Figure> figures =
        OnDemandFigures.from(documents, "us-east-2", List.of("m5.large", "m5.xlarge"), TODAY);

    assertThat(figures).containsOnlyKeys("m5.xlarge");
  }

  @Test
  void typesNotAskedForAreIgnored() {
    Map<String, Figure> figures =
        OnDemandFigures.from(
            RecordedResponses.priceList(RecordedResponses.EC2_US_EAST_2),
            "us-east-2",
            List.of("m5.xlarge"),
            TODAY);

    assertThat(figures).containsOnlyKeys("m5.xlarge");
    assertThat(figures.get("m5.xlarge").value()).isEqualByComparingTo("0.192");
  }
}
