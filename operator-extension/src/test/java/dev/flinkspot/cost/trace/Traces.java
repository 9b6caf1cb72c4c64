package dev.flinkspot.cost.trace;

/** Small traces for the tests: one sample a minute from epoch second 0. */
final class Traces {
  private Traces() {}

  /** {@code minutes[i]} busy vCPUs during minute i. */
  static LoadTrace perMinute(double... minutes) {
    long[] offsets = new long[minutes.length];
    for (int i = 0; i < minutes.length; i++) {
      offsets[i] = i * 60L;
    }
    return new LoadTrace("test", "busy vCPUs", 0, offsets, minutes.clone(), 60);
  }

  /** {@code first} vCPUs for {@code firstMinutes}, then {@code then} until {@code totalMinutes}. */
  static LoadTrace step(double first, int firstMinutes, double then, int totalMinutes) {
    double[] minutes = new double[totalMinutes];
    for (int i = 0; i < totalMinutes; i++) {
      minutes[i] = i < firstMinutes ? first : then;
    }
    return perMinute(minutes);
  }
}
