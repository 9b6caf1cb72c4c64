package dev.flinkspot.cli;

import dev.flinkspot.common.UserInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as Kubernetes and Go write them (90s, 10m, 2h, 500ms, 1.5s), or ISO-8601 (PT10M): the
 * one converter of every Duration option of the CLI.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  /** A number (up to 3 decimals, as Go's time.ParseDuration takes them: 1.5s) and one unit. */
  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,7}(?:\\.\\d{1,3})?)(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Matcher m = SIMPLE.matcher(value.trim());
    if (m.matches()) {
      long unitMillis =
          switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            default -> 3_600_000L;
          };
      // Whole milliseconds: 1.5ms is 1 ms, as the CLI's durations are no finer.
      long millis =
          new BigDecimal(m.group(1))
              .multiply(BigDecimal.valueOf(unitMillis))
              .setScale(0, RoundingMode.DOWN)
              .longValueExact();
      return Duration.ofMillis(millis);
    }
    try {
      return Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration: write e.g. 90s, 10m or 2h");
    }
  }

  /** The duration in the largest whole unit of 2h, 10m, 90s or 500ms. */
  static String shown(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms != 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1_000 == 0 ? ms / 1_000 + "s" : ms + "ms";
  }

  /** {@code value} when within [min, max], else one line naming the option and the range. */
  static Duration within(String option, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new UserInputException(
          option
              + " must be between "
              + shown(min)
              + " and "
              + shown(max)
              + ", not "
              + shown(value));
    }
    return value;
  }
}
