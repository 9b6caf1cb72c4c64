package dev.flinkspot.plan;

import dev.flinkspot.common.Bounds;
import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.catalog.InstanceTypeSpec;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An EC2 instance shape: vCPUs, memory and CPU architecture; Spot groups keep to one. */
public record NodeShape(int vcpu, BigDecimal memoryGiB, String architecture) {
  private static final Pattern TEXT = Pattern.compile("(\\d{1,9})x(\\d{1,9}(?:\\.\\d{1,3})?)");

  public NodeShape {
    memoryGiB = memoryGiB.stripTrailingZeros();
  }

  public static NodeShape of(InstanceTypeSpec spec) {
    return new NodeShape(spec.vcpu(), spec.memoryGiB(), spec.architecture());
  }

  /** Parses {@code VCPUxGIB} as given to {@code --node-shape}, e.g. {@code 4x16}. */
  public static NodeShape parse(String text, String architecture) {
    Matcher m = TEXT.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new UserInputException(
          "--node-shape '"
              + Bounds.shown(text)
              + "': write vCPUs x GiB, e.g. 4x16 (4 vCPU, 16 GiB)");
    }
    int vcpu = Bounds.count("--node-shape vCPUs", Long.parseLong(m.group(1)), 1, Bounds.MAX_VCPU);
    BigDecimal gib =
        Bounds.decimal(
            "--node-shape GiB",
            new BigDecimal(m.group(2)),
            BigDecimal.ZERO,
            true,
            BigDecimal.valueOf(Bounds.MAX_MEMORY_GIB));
    return new NodeShape(vcpu, gib, architecture);
  }

  public boolean matches(InstanceTypeSpec spec) {
    return spec.vcpu() == vcpu
        && spec.memoryGiB().compareTo(memoryGiB) == 0
        && spec.architecture().equals(architecture);
  }

  @Override
  public String toString() {
    return vcpu + " vCPU / " + memoryGiB.toPlainString() + " GiB " + architecture;
  }
}
