package dev.flinkspot.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a real component it needs is absent: it is skipped with a message naming
 * what is missing, except under {@code CI=true}, where it fails so a green CI means it ran.
 */
public final class MissingComponent {

  private MissingComponent() {}

  /** Skips (or under CI fails) the current test; never returns normally. */
  public static RuntimeException skipOrFail(String whatIsMissing) {
    if (isCi()) {
      throw new AssertionError(
          "CI=true and a required test component is missing: " + whatIsMissing);
    }
    Assumptions.abort("skipped, missing: " + whatIsMissing);
    throw new IllegalStateException("unreachable");
  }

  public static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }
}
