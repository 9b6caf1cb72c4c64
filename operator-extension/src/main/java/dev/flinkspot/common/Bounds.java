package dev.flinkspot.common;

import java.math.BigDecimal;

/**
 * The plausible range of every number a user gives (options, manifests, price and eksctl files),
 * checked where it enters, so that no later arithmetic overflows, loops for ever or prints a value
 * without bound. A value out of range is a {@link UserInputException} that names the field and the
 * range, and echoes the value only in a bounded form ({@link #shown}).
 */
public final class Bounds {
  /**
   * Flink's largest max parallelism, 2^15 (flink: flink-runtime KeyGroupRangeAssignment
   * UPPER_BOUND_MAX_PARALLELISM); no job can run wider, so no parallelism, TaskManager count or KPU
   * count above it is plausible.
   */
  public static final int MAX_PARALLELISM = 32_768;

  /** Slots of one TaskManager. */
  public static final int MAX_SLOTS = 1_024;

  /** Hours to price: ten years. */
  public static final int MAX_HOURS = 87_600;

  /** Checkpoint state in GB: one PB. */
  public static final int MAX_STATE_GB = 1_000_000;

  /** Jobs sharing one EKS cluster. */
  public static final int MAX_CLUSTER_JOBS = 10_000;

  /**
   * vCPUs of one instance type or pod; the largest EC2 type has 896 (u7i-12tb.224xlarge,
   * docs.aws.amazon.com/ec2/latest/instancetypes/hmi.html).
   */
  public static final int MAX_VCPU = 1_024;

  /** GiB of memory of one instance type or pod; the largest EC2 type has 32 TiB (u7in-32tb). */
  public static final int MAX_MEMORY_GIB = 32_768;

  /** A price in USD per unit (an instance-hour of the largest type is a few hundred). */
  public static final int MAX_PRICE = 100_000;

  /**
   * Decimal places of any figure: prices are quoted to far fewer, and ten minutes in hours
   * (0.1666666666666667) needs 16; what lies in range with more digits is only there to be huge.
   */
  public static final int MAX_DECIMALS = 20;

  private static final int MAX_DIGITS = 40;

  private Bounds() {}

  /** {@code value} if {@code min <= value <= max}; otherwise says so for {@code field}. */
  public static int count(String field, long value, int min, int max) {
    if (value < min || value > max) {
      throw new UserInputException(
          field + " = " + value + " is out of range: use " + min + " to " + max);
    }
    return (int) value;
  }

  /** An integer written as text (a Flink configuration value), in {@code min..max}. */
  public static int count(String field, String text, int min, int max) {
    String digits = text == null ? "" : text.strip();
    if (!digits.matches("-?[0-9]{1,18}")) {
      throw new UserInputException(
          field + " = '" + shown(digits) + "' is not a whole number: use " + min + " to " + max);
    }
    return count(field, Long.parseLong(digits), min, max);
  }

  /**
   * {@code value} if it lies in {@code [min, max]} (or {@code (min, max]} when {@code
   * minExclusive}) with at most {@link #MAX_DECIMALS} decimal places.
   */
  public static BigDecimal decimal(
      String field, BigDecimal value, BigDecimal min, boolean minExclusive, BigDecimal max) {
    String range =
        (minExclusive ? "more than " : "")
            + min.toPlainString()
            + " to "
            + max.toPlainString()
            + " with at most "
            + MAX_DECIMALS
            + " decimal places";
    if (value == null) {
      throw new UserInputException(field + " is missing: use " + range);
    }
    int below = value.compareTo(min);
    // Digits first: stripping the trailing zeros of a 100,000-digit number takes minutes.
    if (value.precision() > MAX_DIGITS
        || below < 0
        || (minExclusive && below == 0)
        || value.compareTo(max) > 0
        || value.stripTrailingZeros().scale() > MAX_DECIMALS) {
      throw new UserInputException(field + " = " + shown(value) + " is out of range: use " + range);
    }
    return value;
  }

  /** A number short enough to print: plain when it is, else scientific, else its digit count. */
  public static String shown(BigDecimal value) {
    if (value.precision() > MAX_DIGITS) {
      return "(a number of " + value.precision() + " digits)";
    }
    return Math.abs(value.scale()) <= MAX_DIGITS ? value.toPlainString() : value.toString();
  }

  /** Text a user gave, safe to echo: control characters dropped, at most 60 characters. */
  public static String shown(String text) {
    return shown(text, 60);
  }

  /** As {@link #shown(String)}, at most {@code max} characters. */
  public static String shown(String text, int max) {
    String printable = printable(text);
    return printable.length() <= max ? printable : printable.substring(0, max - 3) + "...";
  }

  /** {@code text} without control characters (terminal escapes, CR, LF), for one line. */
  public static String printable(String text) {
    return strip(text, false);
  }

  /**
   * A text report for a terminal: control and format characters a manifest or a cluster put in a
   * name (escape sequences, CR, bidi overrides) dropped; the report's own line breaks kept.
   */
  public static String printableLines(String text) {
    return strip(text, true);
  }

  private static String strip(String text, boolean keepNewlines) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .filter(
            c ->
                (keepNewlines && c == '\n')
                    || (!Character.isISOControl(c) && Character.getType(c) != Character.FORMAT))
        .forEach(out::appendCodePoint);
    return out.toString();
  }
}
