package dev.flinkspot.cost.refresh;

/** A price source could not answer; the message is one line naming the API and the reason. */
public final class PriceSourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PriceSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
