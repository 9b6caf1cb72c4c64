package dev.flinkspot.webhook;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Reads one request body within the {@link WebhookServer.Limits}: refused on its {@code
 * Content-Length} before a byte is read, counted while it streams (chunked bodies have no length),
 * and held against a budget shared by every request in flight (a declared length is reserved at
 * once, a chunked body chunk by chunk), so memory stays bounded whatever any number of clients
 * send. A refused request gets its status and its connection is closed, so the rest of the body is
 * never read.
 */
final class BoundedBody {
  private final HttpServerRequest request;
  private final WebhookServer.Limits limits;
  private final AtomicLong inFlight;
  private final Vertx vertx;
  private final Buffer body;
  private final long declared;
  private final long deadline;
  private long reserved;
  private boolean finished;

  private BoundedBody(
      HttpServerRequest request,
      WebhookServer.Limits limits,
      AtomicLong inFlight,
      Vertx vertx,
      long declared) {
    this.request = request;
    this.limits = limits;
    this.inFlight = inFlight;
    this.vertx = vertx;
    this.declared = declared;
    // A declared length is reserved whole and allocated once: no growing copies of the buffer.
    this.reserved = Math.max(declared, 0);
    this.body = declared >= 0 ? Buffer.buffer((int) declared) : Buffer.buffer();
    this.deadline =
        vertx.setTimer(limits.requestDeadline().toMillis(), id -> refuse(408, "request too slow"));
  }

  /**
   * Reads the body of {@code request}, then hands it to {@code onBody} (on the request's event
   * loop), or answers 400/408/413/503 itself.
   *
   * @param inFlight bytes buffered by all requests now, shared by the server
   */
  static void read(
      HttpServerRequest request,
      WebhookServer.Limits limits,
      AtomicLong inFlight,
      Vertx vertx,
      Consumer<Buffer> onBody) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        declared = -1;
      }
      if (declared < 0) {
        close(request, 400, "bad Content-Length");
        return;
      }
      if (declared > limits.maxBody()) {
        close(request, 413, "AdmissionReview larger than " + limits.maxBody() + " bytes");
        return;
      }
      if (inFlight.addAndGet(declared) > limits.maxBufferedBytes()) {
        inFlight.addAndGet(-declared);
        close(request, 503, "too many AdmissionReviews in flight");
        return;
      }
    }
    BoundedBody reader = new BoundedBody(request, limits, inFlight, vertx, declared);
    request.handler(reader::chunk);
    request.exceptionHandler(e -> reader.release());
    request.response().closeHandler(v -> reader.release());
    request.endHandler(
        v -> {
          if (reader.finished) {
            return;
          }
          Buffer complete = reader.body;
          reader.release();
          onBody.accept(complete);
        });
  }

  private void chunk(Buffer chunk) {
    if (finished) {
      return;
    }
    if (body.length() + (long) chunk.length() > limits.maxBody()) {
      refuse(413, "AdmissionReview larger than " + limits.maxBody() + " bytes");
      return;
    }
    if (declared >= 0) { // reserved up front; the HTTP codec stops at the declared length
      body.appendBuffer(chunk);
      return;
    }
    if (inFlight.addAndGet(chunk.length()) > limits.maxBufferedBytes()) {
      inFlight.addAndGet(-chunk.length());
      refuse(503, "too many AdmissionReviews in flight");
      return;
    }
    reserved += chunk.length();
    body.appendBuffer(chunk);
  }

  private void refuse(int status, String why) {
    if (finished) {
      return;
    }
    release();
    close(request, status, why);
  }

  /** Gives the buffered bytes back to the shared budget; idempotent. */
  private void release() {
    if (!finished) {
      finished = true;
      vertx.cancelTimer(deadline);
      inFlight.addAndGet(-reserved);
      reserved = 0;
    }
  }

  private static void close(HttpServerRequest request, int status, String why) {
    if (request.response().ended() || request.response().closed()) {
      request.connection().close();
      return;
    }
    request
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(why)
        .onComplete(done -> request.connection().close());
  }
}
