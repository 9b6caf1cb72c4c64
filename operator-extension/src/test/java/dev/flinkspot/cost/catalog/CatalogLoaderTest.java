package dev.flinkspot.cost.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.common.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in catalog carries its sources; price files override it strictly. */
class CatalogLoaderTest {
  @TempDir Path dir;

  @Test
  void everyBuiltInFigureHasASourceAndADate() {
    PriceCatalog catalog = CatalogLoader.builtIn();

    assertThat(catalog.regions()).containsKeys("us-east-1", "us-east-2", "eu-west-2");
    catalog
        .regions()
        .values()
        .forEach(
            region ->
                region
                    .figures()
                    .forEach(
                        figure -> {
                          assertThat(figure.source()).isNotBlank();
                          assertThat(figure.asOf()).isNotNull();
                        }));
    assertThat(catalog.region("us-east-1").kpuHour().value()).isEqualByComparingTo("0.11");
    assertThat(catalog.region("us-east-1").onDemandHour("m7g.xlarge").value())
        .isEqualByComparingTo("0.1632");
    assertThat(catalog.instanceType("r6i.2xlarge").memoryGiB()).isEqualByComparingTo("64");
  }

  @Test
  void unknownFiguresAreAbsentAndTheErrorSaysHowToSupplyThem() {
    RegionPriceView ohio = CatalogLoader.builtIn().region("us-east-2");

    assertThat(ohio.kpuHour().value()).isEqualByComparingTo("0.11");
    assertThatThrownBy(() -> ohio.onDemandHour("m5.xlarge"))
        .isInstanceOf(MissingFigureException.class)
        .hasMessageStartingWith(
            "no price for regions.us-east-2.ec2.onDemandHour.m5.xlarge in the catalog: supply it in a price file with --prices FILE");
  }

  @Test
  void aTypoInTheRegionIsNotMistakenForMissingPrices() {
    assertThatThrownBy(() -> CatalogLoader.builtIn().region("us-esat-1"))
        .isInstanceOf(UserInputException.class)
        .hasMessage(
            "--region: unknown AWS region 'us-esat-1': use a region code such as us-east-1");
  }

  @Test
  void aPriceFileReplacesOnlyTheFiguresItNames() throws Exception {
    Path file =
        write(
            """
        regions:
          us-east-1:
            managedFlink:
              kpuHour: {value: "0.12", unit: USD/KPU-hour, asOf: 2026-11-01, source: my negotiated rate}
          us-east-2:
            ec2:
              onDemandHour:
                m5.xlarge: {value: "0.192", unit: USD/instance-hour, asOf: 2026-11-01, source: Price List API}
        """);
    PriceCatalog catalog = CatalogLoader.withOverrides(file);

    assertThat(catalog.region("us-east-1").kpuHour().value()).isEqualByComparingTo("0.12");
    assertThat(catalog.region("us-east-1").kpuHour().asOf()).isEqualTo(LocalDate.of(2026, 11, 1));
    assertThat(catalog.region("us-east-1").runningStorageGbMonth().value())
        .isEqualByComparingTo("0.10");
    assertThat(catalog.region("us-east-2").onDemandHour("m5.xlarge").value())
        .isEqualByComparingTo("0.192");
  }

  @Test
  void badPriceFilesNameTheFieldAndTheFix() throws Exception {
    assertThatThrownBy(
            () ->
                CatalogLoader.withOverrides(
                    write(
                        "regions: {us-east-1: {managedFlink: {kpuHour: {value: \"-1\", unit: x, asOf: 2026-01-01, source: s}}}}")))
        .hasMessageEndingWith(
            "field 'regions.us-east-1.managedFlink.kpuHour' = -1 is out of range: use more than 0 to 100000"
                + " with at most 20 decimal places");
    assertThatThrownBy(
            () ->
                CatalogLoader.withOverrides(
                    write(
                        "regions: {us-east-1: {managedFlink: {kpuHour: {value: \"0.1\", unit: x, source: s}}}}")))
        .hasMessageEndingWith(
            "field 'regions.us-east-1.managedFlink.kpuHour' has no asOf: add the date it was true (YYYY-MM-DD)");
    assertThatThrownBy(
            () ->
                CatalogLoader.withOverrides(
                    write("regions: {us-east-1: {managedFlink: {kpuHourz: 1}}}")))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("field 'regions.us-east-1.managedFlink.kpuHourz'");
    assertThatThrownBy(() -> CatalogLoader.withOverrides(write("regions: [unclosed")))
        .hasMessageContaining("not valid YAML or JSON");
    assertThatThrownBy(() -> CatalogLoader.withOverrides(dir.resolve("none.yaml")))
        .hasMessageEndingWith("none.yaml: no such file");
  }

  private Path write(String text) throws Exception {
    Path file = Files.createTempFile(dir, "prices", ".yaml");
    Files.writeString(file, text);
    return file;
  }
}
