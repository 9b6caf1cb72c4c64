package dev.flinkspot.controller;

import dev.flinkspot.desired.SpareDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The controller's loops, built in one place for production ({@code flinkspot controller}), the
 * tests and the benchmarks alike. Add a loop here (see docs/architecture.md).
 */
public final class Loops {

  private Loops() {}

  /** {@link #standard(CostReportSettings, SpotNoticeSettings)} with the production notices. */
  public static Function<Shared, List<Loop>> standard(CostReportSettings costReports) {
    return standard(costReports, SpotNoticeSettings.production());
  }

  /** {@link #standard(CostReportSettings, SpotNoticeSettings, SpareDecision.Settings)}. */
  public static Function<Shared, List<Loop>> standard(
      CostReportSettings costReports, SpotNoticeSettings notices) {
    return standard(costReports, notices, SpareDecision.Settings.defaults());
  }

  /**
   * Placement + HPA, policy status, Spot notices and warm spares always; cost reports when {@code
   * costReports} is given; the webhook when the configuration serves it.
   */
  public static Function<Shared, List<Loop>> standard(
      CostReportSettings costReports, SpotNoticeSettings notices, SpareDecision.Settings spares) {
    return shared -> {
      List<Loop> loops = new ArrayList<>();
      // Notices handed over by the notice loop, counted by the policy status and cost-report loops.
      var counts = new NoticeCounts(notices.window());
      loops.add(new PlacementLoop(shared));
      loops.add(new PolicyStatusLoop(shared, counts));
      loops.add(new SpotNoticeLoop(shared, notices, counts));
      loops.add(new SpareLoop(shared, spares));
      if (costReports != null) {
        loops.add(new CostReportLoop(shared, costReports, counts));
      }
      if (shared.config().webhook()) {
        loops.add(new WebhookLoop(shared));
      }
      return List.copyOf(loops);
    };
  }
}
