package dev.flinkspot.controller;

import dev.flinkspot.cost.live.FlinkPods;
import dev.flinkspot.kube.Names;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.scaling.ReactiveForm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The controller's informers, each created once and shared by the loops, and what they keep of each
 * object: only the fields the loops read, so that 10,000 FlinkDeployments with their pods fit the
 * controller's heap (issue 15). Each form drops {@code metadata.managedFields} (often the largest
 * part of a small object) and:
 *
 * <ul>
 *   <li>a FlinkDeployment keeps its metadata and spec (the placement diff is taken against them;
 *       the spec {@link #compact compacted}) and of its status only {@code
 *       reconciliationStatus.lastReconciledSpec}, reduced to what {@link ReactiveForm#deployedMode}
 *       reads; kubectl's last-applied annotation (a second copy of the spec) is dropped;
 *   <li>a pod keeps its name, labels, resourceVersion and deletion time, its node, its containers'
 *       names and requests (the cost report prices them), its phase and whether it is Ready (the
 *       Spot notice loop times replacements): no env, image, volumes or other conditions.
 * </ul>
 *
 * The informer's store applies the form to the object it is given, in place, so the event handlers
 * see the same reduced object as the cache (the old and new objects of an update compare alike).
 *
 * <p>Long because every shared informer and every reduced form is here, so that what the controller
 * caches (and what a loop may read) is in one file.
 */
final class Caches {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private Caches() {}

  /**
   * Objects per page of an informer's (re)list: without a limit the first list of 30,000 pods is
   * one response, held whole and in full before any is reduced (an OutOfMemoryError at 384 MB).
   */
  static final long PAGE = 500;

  /**
   * Pods of both operator modes and warm-spare placeholders, by the deployment that pays for them
   * ({@code namespace/app}, {@link FlinkPods#billedTo}).
   */
  static final String PODS_BY_APP = "flinkspot-app";

  /** HPAs by the FlinkDeployment they scale ({@code namespace/name}). */
  static final String HPAS_BY_TARGET = "flinkspot-target";

  /** Pods by the node they are bound to. */
  static final String PODS_BY_NODE = "flinkspot-node";

  static Informers<FlinkSpotPolicy> policies(KubernetesClient client, ControllerConfig config) {
    long resync = config.resync().toMillis();
    return new Informers<>(
        config.namespaces(),
        ns ->
            (ns == null
                    ? client.resources(FlinkSpotPolicy.class).inAnyNamespace()
                    : client.resources(FlinkSpotPolicy.class).inNamespace(ns))
                .withLimit(PAGE)
                .runnableInformer(resync)
                .itemStore(store(Caches::withoutManagedFields)));
  }

  static Informers<GenericKubernetesResource> deployments(
      KubernetesClient client, ControllerConfig config) {
    long resync = config.resync().toMillis();
    return new Informers<>(
        config.namespaces(),
        ns ->
            (ns == null
                    ? FlinkDeployments.in(client).inAnyNamespace()
                    : FlinkDeployments.in(client).inNamespace(ns))
                .withLimit(PAGE)
                .runnableInformer(resync)
                .itemStore(store(Caches::deployment)));
  }

  /**
   * Only flinkspot's HPAs are cached (memory bounded by the governed deployments, not by every HPA
   * in the cluster); a same-named foreign HPA is found by one GET before a create.
   */
  static Informers<HorizontalPodAutoscaler> hpas(KubernetesClient client, ControllerConfig config) {
    long resync = config.resync().toMillis();
    return new Informers<>(
        config.namespaces(),
        ns ->
            (ns == null
                    ? client.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace()
                    : client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns))
                .withLabel(Names.MANAGED_BY_LABEL, Names.MANAGED_BY)
                .withIndexers(Map.of(HPAS_BY_TARGET, Caches::targetOf))
                .withLimit(PAGE)
                .runnableInformer(resync)
                .itemStore(store(Caches::withoutManagedFields)));
  }

  /** The FlinkDeployment an HPA scales, {@code namespace/name}; none for other targets. */
  static List<String> targetOf(HorizontalPodAutoscaler hpa) {
    var ref = hpa.getSpec() == null ? null : hpa.getSpec().getScaleTargetRef();
    return ref == null
            || ref.getName() == null
            || !Names.FLINK_DEPLOYMENT_KIND.equals(ref.getKind())
        ? List.of()
        : List.of(hpa.getMetadata().getNamespace() + "/" + ref.getName());
  }

  /**
   * Only pods with {@link Names#GOVERNED_LABEL} (the placement puts it on the pod templates of
   * governed deployments, the spare loop on its placeholders): the pods of other workloads are
   * never received. Indexed by deployment and by node, for the cost reports and the Spot notices.
   * The placeholders (one per {@code taskManager.spare}, usually 1 or 2 per deployment) share this
   * one watch rather than a second informer: no second connection and list, the same reduced form,
   * and no RBAC beyond the pod list and watch already granted.
   */
  static Informers<Pod> pods(KubernetesClient client, ControllerConfig config) {
    long resync = config.resync().toMillis();
    Map<String, Function<Pod, List<String>>> indexers =
        Map.of(
            PODS_BY_APP,
            p ->
                FlinkPods.billedTo(p)
                    .map(app -> List.of(p.getMetadata().getNamespace() + "/" + app))
                    .orElse(List.of()),
            PODS_BY_NODE,
            Caches::nodeOf);
    return new Informers<>(
        config.namespaces(),
        ns ->
            (ns == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns))
                .withLabelSelector(Names.GOVERNED_SELECTOR)
                .withIndexers(indexers)
                .withLimit(PAGE)
                .runnableInformer(resync)
                .itemStore(store(Caches::pod)));
  }

  /**
   * Nodes carry large statuses (images, conditions); the cost report prices them by their labels, a
   * Spot notice shows in their taints and cordon: only those are kept.
   */
  static SharedIndexInformer<Node> nodes(KubernetesClient client, ControllerConfig config) {
    return client
        .nodes()
        .withLimit(PAGE)
        .runnableInformer(config.resync().toMillis())
        .itemStore(
            new ReducedStateItemStore<>(
                ReducedStateItemStore.NAME_KEY_STATE,
                Node.class,
                client.getKubernetesSerialization(),
                "metadata.labels",
                "spec.taints",
                "spec.unschedulable"));
  }

  /** The node a pod is bound to, if any. */
  static List<String> nodeOf(Pod p) {
    return p.getSpec() == null || p.getSpec().getNodeName() == null
        ? List.of()
        : List.of(p.getSpec().getNodeName());
  }

  /** A store keyed like the informer's default one that keeps {@code form} of each object. */
  static <T extends HasMetadata> BasicItemStore<T> store(UnaryOperator<T> form) {
    return new BasicItemStore<>(Cache::metaNamespaceKeyFunc) {
      @Override
      public T put(String key, T obj) {
        return super.put(key, form.apply(obj));
      }
    };
  }

  /** Any object without its managedFields. */
  static <T extends HasMetadata> T withoutManagedFields(T obj) {
    obj.getMetadata().setManagedFields(null);
    return obj;
  }

  static GenericKubernetesResource deployment(GenericKubernetesResource d) {
    withoutManagedFields(d);
    Object desired = d.getAdditionalProperties().get("spec");
    if (desired != null) {
      d.getAdditionalProperties().put("spec", compact(desired));
    }
    Map<String, String> annotations = d.getMetadata().getAnnotations();
    if (annotations != null) {
      annotations.remove(LAST_APPLIED);
    }
    Object status = d.getAdditionalProperties().get("status");
    if (status != null) {
      Object last =
          status instanceof Map<?, ?> s && s.get("reconciliationStatus") instanceof Map<?, ?> r
              ? r.get("lastReconciledSpec")
              : null;
      d.getAdditionalProperties()
          .put(
              "status",
              last instanceof String spec
                  ? Map.of(
                      "reconciliationStatus",
                      Map.of("lastReconciledSpec", ReactiveForm.reducedLastReconciledSpec(spec)))
                  : Map.of());
    }
    return d;
  }

  /**
   * A JSON tree (maps, lists, strings) in its smallest form: immutable maps and lists instead of
   * LinkedHashMaps and ArrayLists (a third of the size), and strings interned, since 10,000
   * deployments repeat the same keys and values (tolerations, node labels, Flink settings). Order
   * of keys is not kept: every reader compares or reads by key. A map or list holding a JSON null
   * keeps its mutable form (the immutable ones refuse null).
   */
  static Object compact(Object value) {
    if (value instanceof String s) {
      return s.intern();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      boolean nulls = false;
      for (var e : map.entrySet()) {
        nulls |= e.getValue() == null;
        out.put(String.valueOf(e.getKey()).intern(), compact(e.getValue()));
      }
      return nulls ? out : Map.copyOf(out);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      boolean nulls = false;
      for (Object o : list) {
        nulls |= o == null;
        out.add(compact(o));
      }
      return nulls ? out : List.copyOf(out);
    }
    return value;
  }

  static Pod pod(Pod p) {
    var meta = p.getMetadata();
    meta.setManagedFields(null);
    meta.setAnnotations(null);
    meta.setOwnerReferences(null);
    meta.setFinalizers(null);
    PodSpec spec = p.getSpec();
    if (spec != null) {
      List<Container> containers = new ArrayList<>();
      if (spec.getContainers() != null) {
        for (Container c : spec.getContainers()) {
          ResourceRequirements r = c.getResources();
          containers.add(
              new ContainerBuilder()
                  .withName(c.getName())
                  .withResources(
                      r == null || r.getRequests() == null
                          ? null
                          : new ResourceRequirements(null, null, r.getRequests()))
                  .build());
        }
      }
      PodSpec reduced = new PodSpec();
      reduced.setNodeName(spec.getNodeName());
      reduced.setContainers(containers);
      p.setSpec(reduced);
    }
    if (p.getStatus() != null) {
      PodStatus status = new PodStatus();
      status.setPhase(p.getStatus().getPhase());
      // Ready (type and status only): the Spot notice loop times a replacement TaskManager by it.
      if (p.getStatus().getConditions() != null) {
        status.setConditions(
            p.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .map(
                    c ->
                        new PodConditionBuilder()
                            .withType(c.getType())
                            .withStatus(c.getStatus())
                            .build())
                .toList());
      }
      p.setStatus(status);
    }
    return p;
  }
}
