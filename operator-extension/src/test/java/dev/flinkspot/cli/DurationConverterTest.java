package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.common.UserInputException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  @ParameterizedTest
  @CsvSource({
    "5m, PT5M",
    "1h, PT1H",
    "30s, PT30S",
    "500ms, PT0.5S",
    "PT10M, PT10M",
    " 2h , PT2H",
    "1.1s, PT1.1S",
    "0.5h, PT30M",
    "1.5m, PT90S",
    "2.5ms, PT0.002S"
  })
  void readsKubernetesAndIsoDurations(String given, String expected) {
    assertThat(new DurationConverter().convert(given)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5 minutes", "5d", "-5m", "m", "12345678s", "1.s", ".5s", "1.2345s"})
  void refusesOtherText(String given) {
    assertThatThrownBy(() -> new DurationConverter().convert(given))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + given + "' is not a duration: write e.g. 90s, 10m or 2h");
  }

  @ParameterizedTest
  @CsvSource({"PT2H, 2h", "PT10M, 10m", "PT1M30S, 90s", "PT0.5S, 500ms", "PT0S, 0s"})
  void showsTheLargestWholeUnit(String duration, String shown) {
    assertThat(DurationConverter.shown(Duration.parse(duration))).isEqualTo(shown);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT9S", "PT25H"})
  void outOfRangeIsOneLineWithTheRange(String value) {
    assertThatThrownBy(
            () ->
                DurationConverter.within(
                    "--x", Duration.parse(value), Duration.ofSeconds(10), Duration.ofHours(24)))
        .isInstanceOf(UserInputException.class)
        .hasMessageStartingWith("--x must be between 10s and 24h, not ");
  }
}
