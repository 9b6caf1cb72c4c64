package dev.flinkspot.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The API server refused a write for a reason that asking again at once will not change: a webhook
 * denial, a schema or CEL violation (422), a forbidden write (403), a missing namespace on create
 * (404), a malformed request (400). Thrown by {@link Writer} after it recorded the denial ({@link
 * Writer#rejection}); the work queue then retries the key with exponential backoff, not at once.
 */
public final class WriteRejected extends RuntimeException {

  /** Denials are shown in Events and status conditions: bounded, whatever the server sent. */
  static final int MAX_DENIAL_CHARS = 512;

  private final int code;
  private final String denial;

  WriteRejected(String what, KubernetesClientException cause) {
    super(
        what + " refused (HTTP " + cause.getCode() + "): " + denialOf(cause), cause, false, false);
    this.code = cause.getCode();
    this.denial = denialOf(cause);
  }

  /** The HTTP status code of the refusal. */
  public int code() {
    return code;
  }

  /** The API server's reason (for a webhook denial: the webhook's message), at most 512 chars. */
  public String denial() {
    return denial;
  }

  static String denialOf(KubernetesClientException e) {
    String message =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : String.valueOf(e.getMessage());
    message = message.replaceAll("\\p{Cntrl}", " ").strip();
    return message.length() <= MAX_DENIAL_CHARS
        ? message
        : message.substring(0, MAX_DENIAL_CHARS) + "…";
  }
}
