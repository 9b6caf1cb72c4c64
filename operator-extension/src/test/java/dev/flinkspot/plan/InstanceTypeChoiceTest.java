package dev.flinkspot.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.PriceCatalog;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Spot groups: two of at least three distinct types of one shape, never the same group twice. */
class InstanceTypeChoiceTest {
  private static final PriceCatalog CATALOG = CatalogLoader.builtIn();

  private static List<List<String>> groupsFor(String arch) {
    NodeShape shape = new NodeShape(4, BigDecimal.valueOf(16), arch);
    Sizing sizing = Sizing.of(BigDecimal.TEN, shape);
    return InstanceTypeChoice.groups(InstanceTypeChoice.typesOf(shape, sizing, CATALOG));
  }

  @Test
  void gravitonHasTwoDistinctGroupsOfThree() {
    List<List<String>> groups = groupsFor("arm64");

    assertThat(groups).hasSize(2);
    assertThat(groups.get(0)).containsExactly("m6g.xlarge", "m6gd.xlarge", "m7g.xlarge");
    assertThat(groups.get(1)).containsExactly("m7gd.xlarge", "m8g.xlarge", "m8gd.xlarge");
  }

  @Test
  void x86SplitsAtAGenerationBoundaryAsTheShippedCluster() {
    List<List<String>> groups = groupsFor("x86_64");

    assertThat(groups.get(0)).containsExactly("m5.xlarge", "m5a.xlarge", "m5d.xlarge");
    assertThat(groups.get(1))
        .containsExactly("m6a.xlarge", "m6i.xlarge", "m7a.xlarge", "m7i.xlarge");
  }

  @Test
  void noTypeIsInBothGroupsAndEachHasThree() {
    for (String arch : List.of("x86_64", "arm64")) {
      List<List<String>> groups = groupsFor(arch);
      Set<String> seen = new HashSet<>();
      for (List<String> group : groups) {
        assertThat(group).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
        group.forEach(type -> assertThat(seen.add(type)).as(type + " in two groups").isTrue());
      }
    }
  }

  @Test
  void fewerThanSixTypesCannotMakeTwoDistinctGroups() {
    assertThatThrownBy(
            () -> InstanceTypeChoice.groups(List.of("a1.xlarge", "b1.xlarge", "c1.xlarge")))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("two Spot groups of 3 distinct types need 6");
  }

  @Test
  void anyPicksTheCheaperArchitecture() {
    NodeShape shape = new NodeShape(4, BigDecimal.valueOf(16), "x86_64");
    String arch =
        InstanceTypeChoice.cheaperArchitecture(
            4,
            BigDecimal.valueOf(16),
            Sizing.of(BigDecimal.TEN, shape),
            CATALOG,
            CATALOG.region("us-east-1"));
    // mean On-Demand of the six Graviton 4x16 types is below the seven x86 ones (Karpenter table)
    assertThat(arch).isEqualTo("arm64");
  }
}
