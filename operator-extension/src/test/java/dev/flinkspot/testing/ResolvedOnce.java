package dev.flinkspot.testing;

import java.util.function.Supplier;

/**
 * A real component a test needs, looked for once per JVM. The resolver returns the component, or a
 * String naming what is missing (then each caller is skipped, or failed under {@code CI=true}); a
 * RuntimeException it throws is rethrown to every caller without resolving again.
 */
public final class ResolvedOnce<T> {
  private final Supplier<Object> resolver;
  private Object result;

  public ResolvedOnce(Supplier<Object> resolver) {
    this.resolver = resolver;
  }

  @SuppressWarnings("unchecked")
  public synchronized T get() {
    if (result == null) {
      try {
        result = resolver.get();
      } catch (RuntimeException e) {
        result = e;
      }
    }
    if (result instanceof String missing) {
      throw MissingComponent.skipOrFail(missing);
    }
    if (result instanceof RuntimeException e) {
      throw e;
    }
    return (T) result;
  }
}
