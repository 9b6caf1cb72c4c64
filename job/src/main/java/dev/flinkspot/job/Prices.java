package dev.flinkspot.job;

/** Prices are whole cents in the pipeline (exact maxima, no floating point); text is dollars. */
public final class Prices {
  private Prices() {}

  /** 12345 -> "123.45". */
  public static String format(long cents) {
    String sign = cents < 0 ? "-" : "";
    long abs = Math.abs(cents);
    return sign + (abs / 100) + "." + String.format("%02d", abs % 100);
  }

  /** "123.45" (or a JSON number 123.45) -> 12345, rounded half up to the cent. */
  public static long parse(double dollars) {
    return Math.round(dollars * 100.0);
  }
}
