package dev.flinkspot.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.scaling.Finding;
import dev.flinkspot.scaling.Finding.Reason;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReactiveFindingsReportTest {

  private static final Finding CHECKPOINTING_OFF =
      new Finding(
          Finding.Severity.Warning, Reason.CheckpointingOff, "spec.flinkConfiguration", "set it");
  private static final Finding NATIVE =
      new Finding(Finding.Severity.Error, Reason.NativeMode, "spec.mode", "standalone");

  @Test
  void noFindingsIsReady() {
    var summary = ReactiveFindingsReport.of(Map.of("a", List.of(), "b", List.of()));

    assertThat(summary.status()).isEqualTo("True");
    assertThat(summary.reason()).isEqualTo("NoFindings");
    assertThat(summary.message()).contains("2 deployment(s)");
  }

  @Test
  void warningsOnlyAreReadyButNamed() {
    var summary =
        ReactiveFindingsReport.of(Map.of("a", List.of(CHECKPOINTING_OFF, CHECKPOINTING_OFF)));

    assertThat(summary.status()).isEqualTo("True");
    assertThat(summary.reason()).isEqualTo("Warnings");
    assertThat(summary.message()).startsWith("1 deployment(s) with warnings: a (CheckpointingOff)");
  }

  @Test
  void anErrorMakesItNotReadyAndNamesBothKinds() {
    var findings = new TreeMap<String, List<Finding>>();
    findings.put("bad", List.of(NATIVE, CHECKPOINTING_OFF));
    findings.put("meh", List.of(CHECKPOINTING_OFF));
    findings.put("ok", List.of());

    var summary = ReactiveFindingsReport.of(findings);

    assertThat(summary.status()).isEqualTo("False");
    assertThat(summary.reason()).isEqualTo("Errors");
    assertThat(summary.message())
        .startsWith(
            "1 deployment(s) cannot scale as configured: bad (NativeMode, CheckpointingOff);"
                + " with warnings: meh (CheckpointingOff)");
  }

  @Test
  void longListsAreCut() {
    var findings = new TreeMap<String, List<Finding>>();
    for (int i = 0; i < 8; i++) {
      findings.put("d" + i, List.of(NATIVE));
    }

    assertThat(ReactiveFindingsReport.of(findings).message())
        .contains("d4 (NativeMode) and 3 more")
        .doesNotContain("d5");
  }
}
