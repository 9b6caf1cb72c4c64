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
 * when the {@link ReportWritePolicy} says so), close ours when the deployment leaves its policy
 * (final totals kept, an Event), delete ours when the deployment is gone, and leave a report that
 * is not ours alone. It remembers, per report, the deployment's uid, the unrounded ledger and when
 * the status was written; a report written by an earlier leader resumes its ledger.
 *
 * <p>Long because both ends of a period, the open report kept up to date and the closing one, work
 * on the same remembered ledger; the figures themselves are built by {@link LiveReportStatus}.
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
  private final NoticeCounts.Inbox<CostReportLoop.Key> notices;

  CostReportReconciler(
      Writer writer,
      CostReportSettings settings,
      PolicyLookup policies,
      EventRecorder events,
      CostMetrics metrics,
      Clock clock,
      NoticeCounts.Inbox<CostReportLoop.Key> notices) {
    this.notices = notices;
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
   * @param pods the deployment's Flink pods and warm-spare placeholders
   * @param nodes a node by name (null when unknown)
   * @param othersRunning how many other governed deployments run: they share the cluster's fixed
   *     cost with this one
   */
  Result reconcile(
      String namespace,
      String name,
      GenericKubernetesResource d,
      FlinkCostReport report,
      Collection<Pod> pods,
      Function<String, Node> nodes,
      int othersRunning) {
    String key = namespace + "/" + name;
    boolean governed = d != null && reported(namespace, d, policies);
    if (!governed) {
      metrics.remove(namespace, name);
      return leave(key, d, report, books.remove(key));
    }
    String uid = d.getMetadata().getUid();
    if (report != null
        && !OwnerReferences.controlledBy(report.getMetadata().getOwnerReferences(), uid)) {
      // A previous deployment's report (the GC may not have run yet) is ours to delete.
      Write deleted = writer.deleteOurs(report, "the report of an earlier deployment of that name");
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
            settings.options(),
            othersRunning);
    Instant now = clock.instant();
    FlinkCostReportStatus previous = report == null ? null : report.getStatus();
    Book book = books.get(key);
    if (book != null && !book.uid().equals(uid)) {
      book = null;
    }
    Ledger ledger = book == null ? null : book.ledger();
    Instant lastWrite = book == null ? null : book.lastWrite();
    if (ledger == null) {
      // A closed period stays as it is; governed again, a new one begins (the old one is carried
      // into closedPeriods by the status).
      ledger =
          previous != null && previous.since() != null && !previous.periodClosed()
              ? Ledger.resume(previous, now)
              : Ledger.begin(now, observation.rate());
    }
    ledger = ledger.advance(now, observation.rate());
    // The period's interruption counts, plus the notices handed over since (see NoticeCounts).
    var interruptions =
        notices.fold(
            new CostReportLoop.Key(namespace, name),
            LiveReportStatus.carriedInterruptions(previous));
    FlinkCostReportStatus desired =
        LiveReportStatus.build(observation, ledger, now, previous, interruptions);
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
      write = writer.create(report, "cost report of FlinkDeployment " + key);
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

  /**
   * The deployment no longer has a policy (or is gone): a report of an earlier or deleted
   * deployment is deleted (the garbage collector would); our open report of this one is closed, its
   * totals advanced to now and kept, and an Event says so. A closed report is left as it is.
   */
  private Result leave(String key, GenericKubernetesResource d, FlinkCostReport report, Book book) {
    if (report == null) {
      return new Result(Write.UNCHANGED, null);
    }
    String uid = d == null ? null : d.getMetadata().getUid();
    if (uid == null
        || !OwnerReferences.controlledBy(report.getMetadata().getOwnerReferences(), uid)
        || !Names.managedByUs(report.getMetadata().getLabels())) {
      Write deleted =
          writer.deleteOurs(report, "its deployment is gone or belongs to an earlier deployment");
      return new Result(deleted, deleted.retry() ? PlacementLoop.RETRY : null);
    }
    FlinkCostReportStatus previous = report.getStatus();
    if (previous != null && previous.periodClosed()) {
      return new Result(Write.UNCHANGED, null);
    }
    Instant now = clock.instant();
    // Without this replica's own ledger (a restart) the period closes when it was last written:
    // when the policy went in between is not known, and nothing is charged that may not have run.
    Ledger ledger =
        book != null && book.uid().equals(uid)
            ? book.ledger().advance(now, null)
            : previous != null && previous.since() != null
                ? Ledger.resume(previous, now)
                : Ledger.begin(now, null);
    String why = whyClosed(report.getMetadata().getNamespace(), d);
    FlinkCostReportStatus closed = LiveReportStatus.close(previous, ledger, why);
    report.setStatus(closed);
    Write status = writer.updateStatus(report);
    if (status.retry()) {
      if (book != null) {
        books.put(key, book);
      }
      return new Result(status, PlacementLoop.RETRY);
    }
    String message =
        "FlinkCostReport "
            + key
            + " closed: "
            + why
            + "; kept with its totals since "
            + closed.since()
            + " (self-managed $"
            + closed.accumulatedSelfManagedUsd()
            + ", MSF $"
            + closed.accumulatedManagedUsd()
            + ") until the FlinkDeployment is deleted; export them with `flinkspot report -n "
            + report.getMetadata().getNamespace()
            + " -o json --output FILE`; governed again, a new period starts";
    events.record(FlinkDeployments.target(d), EventReason.CostReportClosed, message);
    LOG.info("{}", message);
    return new Result(status, null);
  }

  private String whyClosed(String namespace, GenericKubernetesResource d) {
    var resolution = PolicyResolver.resolve(namespace, d.getMetadata().getLabels(), policies);
    if (resolution instanceof PolicyResolver.Missing missing) {
      return "its policy " + missing.policyName() + " does not exist any more";
    }
    return "no FlinkSpotPolicy governs the deployment any more (no "
        + dev.flinkspot.policy.FlinkSpotPolicy.POLICY_LABEL
        + " label and no namespace default, or an empty one)";
  }

  /**
   * Whether {@code d} has an open report: it resolves to a policy. An invalid or ambiguous one
   * counts: the controller keeps the deployment's last placement then, and a typo in a policy must
   * not close every period. Only no policy at all (label removed, policy deleted) closes it.
   */
  static boolean reported(String namespace, GenericKubernetesResource d, PolicyLookup policies) {
    var resolution = PolicyResolver.resolve(namespace, d.getMetadata().getLabels(), policies);
    return resolution instanceof PolicyResolver.Governed
        || resolution instanceof PolicyResolver.Invalid
        || resolution instanceof PolicyResolver.AmbiguousDefault;
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
        o.taskManagers() == 0 ? 0 : (double) o.spotTaskManagers() / o.taskManagers(),
        !o.hasSpares()
            ? Double.NaN
            : o.rate() == null ? 0 : o.rate().spareUsdPerHour().doubleValue());
  }
}
