package dev.flinkspot.cost.live;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The {@code FlinkCostReport} custom resource: what one governed FlinkDeployment costs while it
 * runs, self-managed vs MSF. Same name as the deployment, owned by it (garbage-collected with it),
 * written only by the controller; closed, not deleted, when the deployment leaves its policy.
 */
@Group(FlinkCostReport.GROUP)
@Version(FlinkCostReport.VERSION)
@Kind("FlinkCostReport")
@Plural("flinkcostreports")
@Singular("flinkcostreport")
@ShortNames("fcr")
public class FlinkCostReport extends CustomResource<FlinkCostReportSpec, FlinkCostReportStatus>
    implements Namespaced {

  public static final String GROUP = "flinkspot.dev";
  public static final String VERSION = "v1alpha1";
  public static final String PLURAL = "flinkcostreports";

  @Override
  protected FlinkCostReportSpec initSpec() {
    return new FlinkCostReportSpec(null);
  }
}
