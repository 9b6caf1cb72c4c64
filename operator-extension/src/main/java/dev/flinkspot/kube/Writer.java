package dev.flinkspot.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way flinkspot writes to the API server. Each call returns a {@link Write}; the rules that
 * were repeated per writer live here:
 *
 * <ul>
 *   <li>every update, status update and delete carries the observed {@code resourceVersion}, so a
 *       stale view fails instead of overwriting a newer object;
 *   <li>409 Conflict and 404 Not Found (the object, or its namespace, changed or went away) are
 *       {@link Write#CONFLICT}: re-read and decide again; for a JSON Patch, 422 is too (its {@code
 *       test} of the resourceVersion failed, RFC 6902 section 4.6); any other error is thrown (the
 *       work queue backs off);
 *   <li>only what carries flinkspot's managed-by label is deleted ({@link #deleteOurs}).
 * </ul>
 */
public final class Writer {

  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

  private final KubernetesClient client;

  public Writer(KubernetesClient client) {
    this.client = client;
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * Creates {@code desired}; {@link Write#CONFLICT} when it exists already. On success {@code
   * desired} carries the uid and resourceVersion the API server gave it, ready for a status write.
   */
  public <T extends HasMetadata> Write create(T desired) {
    return attempt(
        Write.CREATED,
        desired,
        () -> {
          T created = client.resource(desired).create();
          desired.getMetadata().setUid(created.getMetadata().getUid());
          desired.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
          return created;
        },
        false);
  }

  /** Replaces the object with {@code desired} (PUT, with its resourceVersion). */
  public <T extends HasMetadata> Write update(T desired) {
    return attempt(Write.PATCHED, desired, () -> client.resource(desired).update(), false);
  }

  /**
   * Replaces the status of {@code desired} (PUT on the status subresource, with its
   * resourceVersion); on success {@code desired} carries the written resourceVersion, so a second
   * status write in the same reconcile does not conflict with the first.
   */
  public <T extends HasMetadata> Write updateStatus(T desired) {
    return attempt(
        Write.PATCHED,
        desired,
        () -> {
          T written = client.resource(desired).updateStatus();
          desired.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
          return written;
        },
        false);
  }

  /**
   * Applies a JSON Patch (RFC 6902) to a raw resource; the patch should start with a {@code test}
   * of the observed resourceVersion.
   */
  public Write jsonPatch(
      ResourceDefinitionContext context, GenericKubernetesResource observed, String patch) {
    return attempt(
        Write.PATCHED,
        observed,
        () ->
            client
                .genericKubernetesResources(context)
                .inNamespace(observed.getMetadata().getNamespace())
                .withName(observed.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON), patch),
        true);
  }

  /**
   * Deletes {@code observed} if it carries flinkspot's managed-by label ({@link Write#FOREIGN}
   * otherwise), at its observed resourceVersion; an object already gone is {@link Write#UNCHANGED}.
   */
  public <T extends HasMetadata> Write deleteOurs(T observed) {
    if (!Names.managedByUs(observed.getMetadata().getLabels())) {
      return Write.FOREIGN;
    }
    try {
      var deleted = client.resource(observed).lockResourceVersion().delete();
      return deleted == null || deleted.isEmpty() ? Write.UNCHANGED : Write.DELETED;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Write.UNCHANGED;
      }
      if (e.getCode() == 409) {
        return Write.CONFLICT;
      }
      throw e;
    }
  }

  private static Write attempt(
      Write success, HasMetadata target, Supplier<?> write, boolean jsonPatch) {
    try {
      write.get();
      return success;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404 || (jsonPatch && e.getCode() == 422)) {
        LOG.debug(
            "{} of {} {}/{} lost a race: {}",
            success,
            target.getKind(),
            target.getMetadata().getNamespace(),
            target.getMetadata().getName(),
            e.getMessage());
        return Write.CONFLICT;
      }
      throw e;
    }
  }
}
