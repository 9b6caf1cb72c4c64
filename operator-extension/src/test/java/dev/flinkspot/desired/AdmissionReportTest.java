package dev.flinkspot.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.scaling.Finding;
import dev.flinkspot.scaling.Finding.Reason;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionReportTest {

  private static final Finding NATIVE =
      new Finding(Finding.Severity.Error, Reason.NativeMode, "spec.mode", "set standalone");

  @Test
  void nothingRefusedIsNoCondition() {
    assertThat(AdmissionReport.of(Map.of())).isNull();
  }

  @Test
  void refusedDeploymentsAreNamedWithTheirFixAndBounded() {
    Map<String, Finding> refused = new LinkedHashMap<>();
    for (String d : new String[] {"a", "b", "c", "d", "e"}) {
      refused.put(d, NATIVE);
    }

    var summary = AdmissionReport.of(refused);

    assertThat(summary.status()).isEqualTo("False");
    assertThat(summary.reason()).isEqualTo("WouldBeDenied");
    assertThat(summary.message())
        .contains("--no-webhook")
        .contains("would deny 5 FlinkDeployment(s)")
        .contains("a: spec.mode: set standalone; b: spec.mode")
        .contains("c: spec.mode")
        .doesNotContain("d: spec.mode")
        .endsWith("; and 2 more");
  }
}
