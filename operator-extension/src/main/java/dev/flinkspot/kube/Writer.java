package dev.flinkspot.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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
 *   <li>only a lost race is {@link Write#CONFLICT} (re-read and decide again, at once): 409
 *       Conflict, 404 Not Found of the object written (it went away), and for a JSON Patch a 422
 *       whose {@code test} of the resourceVersion failed (RFC 6902 section 4.6);
 *   <li>any other refusal (a webhook denial or a schema violation: 422; 400, 403, a create's 404)
 *       is remembered per object ({@link #rejection}, for Events and status conditions) and thrown
 *       as {@link WriteRejected}; it and any other error (5xx, timeouts) reach the work queue,
 *       which retries the key with exponential backoff. A later successful write of the object
 *       forgets the refusal;
 *   <li>only what carries flinkspot's managed-by label is deleted ({@link #deleteOurs}).
 * </ul>
 */
public final class Writer {

  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

  /** An object written, by kind, namespace and name. */
  public record Ref(String kind, String namespace, String name) {
    public static Ref of(HasMetadata o) {
      return new Ref(o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
    }

    @Override
    public String toString() {
      return kind + " " + namespace + "/" + name;
    }
  }

  private final KubernetesClient client;
  private final Map<Ref, String> rejections = new ConcurrentHashMap<>();
  private final List<Consumer<Ref>> rejectionListeners = new CopyOnWriteArrayList<>();

  private final java.util.function.BooleanSupplier mayWrite;

  public Writer(KubernetesClient client) {
    this(client, () -> true);
  }

  /**
   * @param mayWrite whether this replica may write now (it holds the Lease); checked before every
   *     write, so a reconcile still running when the Lease is lost writes nothing more
   */
  public Writer(KubernetesClient client, java.util.function.BooleanSupplier mayWrite) {
    this.client = client;
    this.mayWrite = mayWrite;
  }

  private void checkMayWrite(String what) {
    if (!mayWrite.getAsBoolean()) {
      throw new IllegalStateException("not the leader: " + what + " not written");
    }
  }

  public KubernetesClient client() {
    return client;
  }

  /** Why the API server refused the last write of {@code object}, or null if it did not. */
  public String rejection(HasMetadata object) {
    return rejections.get(Ref.of(object));
  }

  /**
   * Forgets a refusal of {@code ref}: its reconcile found nothing left to write (someone else wrote
   * it), or it is gone.
   */
  public void forget(Ref ref) {
    if (rejections.remove(ref) != null) {
      rejectionListeners.forEach(l -> l.accept(ref));
    }
  }

  /** Called with the object whenever its refusal appears, changes or is forgotten. */
  public void onRejectionChange(Consumer<Ref> listener) {
    rejectionListeners.add(listener);
  }

  /**
   * Creates {@code desired}; {@link Write#CONFLICT} when it exists already. On success {@code
   * desired} carries the uid and resourceVersion the API server gave it, ready for a status write.
   *
   * @param why the decision, for the log line
   */
  public <T extends HasMetadata> Write create(T desired, String why) {
    return attempt(
        Write.CREATED,
        "created",
        why,
        desired,
        () -> {
          T created = client.resource(desired).create();
          desired.getMetadata().setUid(created.getMetadata().getUid());
          desired.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
          return created;
        },
        false);
  }

  /**
   * Replaces the object with {@code desired} (PUT, with its resourceVersion), because {@code why}.
   */
  public <T extends HasMetadata> Write update(T desired, String why) {
    return attempt(
        Write.PATCHED, "updated", why, desired, () -> client.resource(desired).update(), false);
  }

  /**
   * Replaces the status of {@code desired} (PUT on the status subresource, with its
   * resourceVersion); on success {@code desired} carries the written resourceVersion, so a second
   * status write in the same reconcile does not conflict with the first.
   */
  public <T extends HasMetadata> Write updateStatus(T desired) {
    return attempt(
        Write.PATCHED,
        "wrote the status of",
        null,
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
   * of the observed resourceVersion; {@code why} is the decision, for the log line.
   */
  public Write jsonPatch(
      ResourceDefinitionContext context,
      GenericKubernetesResource observed,
      String patch,
      String why) {
    return attempt(
        Write.PATCHED,
        "patched",
        why,
        observed,
        () ->
            client
                .genericKubernetesResources(context)
                .inNamespace(observed.getMetadata().getNamespace())
                // On the observed object, not withName(...): Fabric8 then sends the PATCH alone
                // instead of GETting the object first (HasMetadataOperation.patch), so the
                // controller needs no get on FlinkDeployments.
                .resource(observed)
                .patch(PatchContext.of(PatchType.JSON), patch),
        true);
  }

  /**
   * Deletes {@code observed} if it carries flinkspot's managed-by label ({@link Write#FOREIGN}
   * otherwise), at its observed resourceVersion, because {@code why}; an object already gone is
   * {@link Write#UNCHANGED}.
   */
  public <T extends HasMetadata> Write deleteOurs(T observed, String why) {
    if (!Names.managedByUs(observed.getMetadata().getLabels())) {
      return Write.FOREIGN;
    }
    Ref ref = Ref.of(observed);
    checkMayWrite("delete of " + ref);
    try {
      var deleted = client.resource(observed).lockResourceVersion().delete();
      if (deleted == null || deleted.isEmpty()) {
        return Write.UNCHANGED;
      }
      logged("deleted", ref, why);
      return Write.DELETED;
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

  private Write attempt(
      Write success,
      String verb,
      String why,
      HasMetadata target,
      Supplier<?> write,
      boolean jsonPatch) {
    Ref ref = Ref.of(target);
    checkMayWrite(success + " of " + ref);
    try {
      write.get();
    } catch (KubernetesClientException e) {
      if (lostRace(e, success == Write.CREATED, jsonPatch)) {
        LOG.debug("{} of {} lost a race: {}", success, ref, e.getMessage());
        return Write.CONFLICT;
      }
      if (e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 429) {
        var rejected = new WriteRejected(success + " of " + ref, e);
        if (!rejected.denial().equals(rejections.put(ref, rejected.denial()))) {
          rejectionListeners.forEach(l -> l.accept(ref));
        }
        throw rejected;
      }
      throw e;
    }
    forget(ref);
    logged(verb, ref, why);
    return success;
  }

  /** One line per write done: INFO with the caller's reason, DEBUG for a status write (no why). */
  private static void logged(String verb, Ref ref, String why) {
    if (why == null) {
      LOG.debug("{} {}", verb, ref);
    } else {
      LOG.info("{} {}: {}", verb, ref, why);
    }
  }

  /**
   * The API server's whole message when a JSON Patch does not apply to the stored object (our patch
   * starts with a {@code test} of the resourceVersion, so: the object changed). It drops the patch
   * library's reason ("testing value ... failed") and names no object: k8s.io/apiserver
   * pkg/endpoints/handlers/patch.go (applyJSPatch) returns {@code NewGenericServerResponse(422, "",
   * GroupResource{}, "", err.Error(), 0, false)}, whose message for 422 is this text and whose
   * details carry no kind, name or cause (k8s.io/apimachinery pkg/api/errors/errors.go). A webhook
   * denial or a schema violation is a 422 too, with its own message.
   */
  static final String PATCH_NOT_APPLICABLE =
      "the server rejected our request due to an error in our request";

  /**
   * A lost race: 409; 404 of an object that went away (not a create's, whose namespace is missing);
   * a JSON Patch that no longer applies ({@link #PATCH_NOT_APPLICABLE}).
   */
  public static boolean lostRace(KubernetesClientException e, boolean create, boolean jsonPatch) {
    if (e.getCode() == 409 || (e.getCode() == 404 && !create)) {
      return true;
    }
    var status = e.getStatus();
    return jsonPatch
        && e.getCode() == 422
        && status != null
        && PATCH_NOT_APPLICABLE.equals(status.getMessage())
        && (status.getDetails() == null
            || ((status.getDetails().getKind() == null || status.getDetails().getKind().isEmpty())
                && (status.getDetails().getCauses() == null
                    || status.getDetails().getCauses().isEmpty())));
  }
}
