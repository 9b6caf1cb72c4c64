package dev.flinkspot.policy;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** The {@code FlinkSpotPolicy} custom resource: how opted-in FlinkDeployments are placed. */
@Group(FlinkSpotPolicy.GROUP)
@Version(FlinkSpotPolicy.VERSION)
@Kind("FlinkSpotPolicy")
@Plural("flinkspotpolicies")
@Singular("flinkspotpolicy")
@ShortNames("fsp")
public class FlinkSpotPolicy extends CustomResource<FlinkSpotPolicySpec, FlinkSpotPolicyStatus>
    implements Namespaced {

  public static final String GROUP = "flinkspot.dev";
  public static final String VERSION = "v1alpha1";

  /** The label a FlinkDeployment carries to opt in; its value names the policy. */
  public static final String POLICY_LABEL = "flinkspot.dev/policy";

  @Override
  protected FlinkSpotPolicySpec initSpec() {
    return new FlinkSpotPolicySpec(null, null, null, null, null, null, null);
  }
}
