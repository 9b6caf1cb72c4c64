package dev.flinkspot.interruption;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmSparesTest {

  private static Pod placeholder(String name, String node, boolean ready, boolean deleting) {
    var b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withDeletionTimestamp(deleting ? "2026-01-01T00:00:00Z" : null)
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .endSpec()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus();
    return b.build();
  }

  @Test
  void onlyReadyPlaceholdersOffTheReclaimedNodeCount() {
    List<Pod> pods =
        List.of(
            placeholder("ready-elsewhere", "node-b", true, false),
            placeholder("on-the-node", "node-a", true, false),
            placeholder("not-ready", "node-c", false, false),
            placeholder("pending", null, false, false),
            placeholder("preempted", "node-d", true, true));
    assertThat(WarmSpares.usable(pods, "node-a")).isEqualTo(1);
    assertThat(WarmSpares.usable(pods, "node-b")).isEqualTo(1);
    assertThat(WarmSpares.usable(List.of(), "node-a")).isZero();
  }

  @Test
  void messagesNameTheNodeAndTheFix() {
    assertThat(WarmSpares.ready("node-a", 1, 2)).contains("1 of 2", "node-a", "preempts");
    assertThat(WarmSpares.pending("node-a", 2))
        .contains("none of 2", "node-a", "taskManager.spare", "flinkspot.dev/spare-for");
  }
}
