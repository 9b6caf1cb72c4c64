package dev.flinkspot.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.common.UserInputException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AWS's 1 KPU per MB/s rule, rounded to TaskManagers and nodes of a shape. */
class SizingTest {

  @ParameterizedTest(name = "{0} MB/s on {1}: {2} KPUs, {3} TMs of {5}, {4} nodes")
  @CsvSource({
    "10,   4x16, 10, 5, 3, 7168m",
    "0.2,  4x16, 1,  1, 1, 7168m",
    "9.5,  4x16, 10, 5, 3, 7168m",
    "8,    4x16, 8,  4, 2, 7168m",
    "100,  8x32, 100, 50, 13, 7168m",
    "3,    2x8,  3,  2, 2, 7168m",
    "4,    4x32, 4,  2, 1, 14336m",
  })
  void sizesFromTheKpuRule(
      String rate, String shape, int kpus, int taskManagers, int nodes, String memory) {
    Sizing sizing = Sizing.of(new BigDecimal(rate), NodeShape.parse(shape, "x86_64"));
    assertThat(sizing.kpus()).isEqualTo(kpus);
    assertThat(sizing.taskManagers()).isEqualTo(taskManagers);
    assertThat(sizing.nodes()).isEqualTo(nodes);
    assertThat(sizing.taskManagerMemory()).isEqualTo(memory);
    assertThat(sizing.taskManager().cpu()).isEqualByComparingTo("1.75");
    assertThat(sizing.parallelism()).isGreaterThanOrEqualTo(kpus);
  }

  @Test
  void eachNodeGivesOneVcpuAndFourGibPerMbPerSecondAsAKpuDoes() {
    NodeShape shape = NodeShape.parse("4x16", "x86_64");
    Sizing sizing = Sizing.of(BigDecimal.valueOf(40), shape);
    assertThat(sizing.nodes() * shape.vcpu()).isEqualTo(sizing.kpus());
    assertThat(shape.memoryGiB().multiply(BigDecimal.valueOf(sizing.nodes())))
        .isEqualByComparingTo(BigDecimal.valueOf(4L * sizing.kpus()));
  }

  @Test
  void aNonPositiveRateIsRefused() {
    NodeShape shape = NodeShape.parse("4x16", "x86_64");
    assertThatThrownBy(() -> Sizing.of(BigDecimal.ZERO, shape))
        .isInstanceOf(UserInputException.class)
        .hasMessageStartingWith("--ingest-mb-per-s = 0: use a positive rate");
  }

  @Test
  void anOddVcpuCountOrTooLittleMemoryIsRefused() {
    assertThatThrownBy(() -> Sizing.of(BigDecimal.ONE, NodeShape.parse("3x12", "x86_64")))
        .hasMessageContaining("even number of vCPUs");
    assertThatThrownBy(() -> Sizing.requireKpuMemory(NodeShape.parse("4x8", "x86_64")))
        .hasMessageContaining("2 GiB per vCPU; the KPU rule needs 4 GiB per vCPU");
    assertThatThrownBy(() -> NodeShape.parse("four", "x86_64"))
        .hasMessageStartingWith("--node-shape 'four': write vCPUs x GiB");
  }

  @Test
  void aRateBeyondOneJobIsRefused() {
    assertThatThrownBy(() -> Sizing.of(new BigDecimal("1e9"), NodeShape.parse("4x16", "x86_64")))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("split the stream across several jobs");
    assertThat(Sizing.of(BigDecimal.valueOf(8192), NodeShape.parse("4x16", "x86_64")).kpus())
        .isEqualTo(8192);
  }
}
