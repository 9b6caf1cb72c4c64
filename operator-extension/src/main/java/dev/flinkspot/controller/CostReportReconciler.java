package dev.flinkspot.controller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.cost.live.FlinkCostReport;
import dev.flinkspot.cost.live.FlinkCostReportSpec;
import dev.flinkspot.cost.live.FlinkCostReportStatus;
import dev.flinkspot.cost.live.FlinkPods;
import dev.flinkspot.cost.live.Ledger;
import dev.flinkspot.cost.live.LiveObservation;
import dev.flinkspot.cost.live.LiveReportStatus;
import dev.flinkspot.cost.live.ObservedNode;
import dev.flinkspot.cost.live.ObservedPod;
import dev.flinkspot.cost.live.ReportWritePolicy;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.EventRecorder;
import dev.flinkspot.kube.Names;
import dev.flinkspot.kube.OwnerReferences;
import dev.flinkspot.kube.Write;
import dev.flinkspot.kube.Writer;
import dev.flinkspot.policy.PolicyLookup;
import dev.flinkspot.policy.PolicyResolver;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FlinkCostReport's reconcile, given what the caches hold: keep it while the deployment is
 * governed (create it owned by the deployment, price the observed pods and nodes, write the status
 * when the {@link ReportWritePolicy} says so), delete ours when it is not, and leave a report that
 * is not ours alone. It remembers, per report, the deployment's uid, the unrounded ledger and when
 * the status was written; a report written by an earlier leader resumes its ledger.
 */
final class CostReportReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(CostReportReconciler.class);

  /** What one reconcile did, and when to look again (null: on the next change). */
  record Result(Write write, Duration recheck) {}

  /** Per report: the deployment's uid, its unrounded ledger, and when its status was written. */
  private record Book(String uid, Ledger ledger, Instant lastWrite) {}

  private final Writer writer;
  private final CostReportSettings settings;
  private final PolicyLookup policies;
  private final EventRecorder events;
  private final CostMetrics metrics;
  private final Clock clock;
  private final Map<String, Book> books = new ConcurrentHashMap<>();

  CostReportReconciler(
      Writer writer,
      CostReportSettings settings,
      PolicyLookup policies,
      EventRecorder events,
      CostMetrics metrics,
      Clock clock) {
    this.writer = writer;
    this.settings = settings;
    this.policies = policies;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * @param d the deployment of the same namespace and name (null when there is none)
   * @param report the report (null when there is none)
   * @param pods the deployment's Flink pods
   * @param nodes a node by name (null when unknown)
   */
  Result reconcile(
      String namespace,
      String name,
      GenericKubernetesResource d,
      FlinkCostReport report,
      Collection<Pod> pods,
      Function<String, Node> nodes) {
    String key = namespace + "/" + name;
    boolean governed =
        d != null
            && PolicyResolver.resolve(namespace, d.getMetadata().getLabels(), policies)
                instanceof PolicyResolver.Governed;
    if (!governed) {
      metrics.remove(namespace, name);
      books.remove(key);
      Write deleted = report == null ? Write.UNCHANGED : writer.deleteOurs(report);
      return new Result(deleted, deleted.retry() ? PlacementLoop.RETRY : null);
    }
    String uid = d.getMetadata().getUid();
    if (report != null
        && !OwnerReferences.controlledBy(report.getMetadata().getOwnerReferences(), uid)) {
      // A previous deployment's report (the GC may not have run yet) is ours to delete.
      Write deleted = writer.deleteOurs(report);
      if (deleted == Write.FOREIGN) {
        LOG.warn("FlinkCostReport {} exists and is not ours: left alone, no report kept", key);
        return new Result(Write.FOREIGN, null);
      }
      return new Result(deleted, PlacementLoop.RETRY);
    }
    JsonNode raw = writer.client().getKubernetesSerialization().convertValue(d, JsonNode.class);
    List<ObservedPod> observed = new ArrayList<>();
    Set<String> nodeNames = new LinkedHashSet<>();
    for (Pod pod : pods) {
      FlinkPods.observe(pod)
          .ifPresent(
              p -> {
                observed.add(p);
                if (p.nodeName() != null) {
                  nodeNames.add(p.nodeName());
                }
              });
    }
    List<ObservedNode> observedNodes = new ArrayList<>();
    for (String nodeName : nodeNames) {
      Node node = nodes.apply(nodeName);
      if (node != null) {
        observedNodes.add(FlinkPods.observe(node));
      }
    }
    LiveObservation observation =
        LiveObservation.of(
            raw,
            observed,
            observedNodes,
            settings.fallbackRegion(),
            settings.catalog(),
            settings.options());
    Instant now = clock.instant();
    FlinkCostReportStatus previous = report == null ? null : report.getStatus();
    Book book = books.get(key);
    if (book != null && !book.uid().equals(uid)) {
      book = null;
    }
    Ledger ledger = book == null ? null : book.ledger();
    Instant lastWrite = book == null ? null : book.lastWrite();
    if (ledger == null) {
      ledger =
          previous != null && previous.since() != null
              ? Ledger.resume(previous, now)
              : Ledger.begin(now, observation.rate());
    }
    ledger = ledger.advance(now, observation.rate());
    FlinkCostReportStatus desired = LiveReportStatus.build(observation, ledger, now, previous);
    metrics.update(namespace, name, figures(observation, ledger));
    if (!observation.missing().isEmpty()) {
      events.record(
          FlinkDeployments.target(d),
          EventReason.CostNotPriced,
          desired.conditions().get(0).getMessage());
    } else {
      // Priced again: the same gap, should it come back, is news again.
      events.clear(FlinkDeployments.target(d), EventReason.CostNotPriced);
    }
    Write write = Write.UNCHANGED;
    if (report == null) {
      report = newReport(d);
      write = writer.create(report);
      if (write.retry()) {
        return new Result(write, PlacementLoop.RETRY);
      }
      lastWrite = null;
    }
    boolean changed =
        previous == null || !desired.withoutProgress().equals(previous.withoutProgress());
    if (lastWrite == null && previous != null && previous.lastUpdated() != null) {
      lastWrite = Instant.parse(previous.lastUpdated());
    }
    ReportWritePolicy.Decision decision = settings.writes().decide(changed, lastWrite, now);
    if (decision.write()) {
      report.setStatus(desired);
      Write status = writer.updateStatus(report);
      if (status.retry()) {
        return new Result(status, PlacementLoop.RETRY);
      }
      write = write == Write.CREATED ? write : status;
      lastWrite = now;
    }
    books.put(key, new Book(uid, ledger, lastWrite));
    return new Result(write, decision.recheck());
  }

  private static FlinkCostReport newReport(GenericKubernetesResource d) {
    FlinkCostReport report = new FlinkCostReport();
    report.setMetadata(
        new ObjectMetaBuilder()
            .withName(d.getMetadata().getName())
            .withNamespace(d.getMetadata().getNamespace())
            .addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGED_BY)
            .withOwnerReferences(
                OwnerReferences.flinkDeployment(
                    d.getMetadata().getName(), d.getMetadata().getUid()))
            .build());
    report.setSpec(new FlinkCostReportSpec(d.getMetadata().getName()));
    return report;
  }

  private static CostMetrics.Figures figures(LiveObservation o, Ledger ledger) {
    return new CostMetrics.Figures(
        o.rate() == null ? Double.NaN : o.rate().selfManagedUsdPerHour().doubleValue(),
        o.rate() == null ? Double.NaN : o.rate().managedUsdPerHour().doubleValue(),
        ledger.totals().selfManagedUsd().doubleValue(),
        ledger.totals().managedUsd().doubleValue(),
        o.taskManagers(),
        o.taskManagers() == 0 ? 0 : (double) o.spotTaskManagers() / o.taskManagers());
  }
}
