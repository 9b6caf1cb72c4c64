package dev.flinkspot.plan;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.catalog.InstanceTypeSpec;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An EC2 instance shape: vCPUs, memory and CPU architecture; Spot groups keep to one. */
public record NodeShape(int vcpu, BigDecimal memoryGiB, String architecture) {
  private static final Pattern TEXT = Pattern.compile("(\\d+)x(\\d+(?:\\.\\d+)?)");

  public NodeShape {
    memoryGiB = memoryGiB.stripTrailingZeros();
  }

  public static NodeShape of(InstanceTypeSpec spec) {
    return new NodeShape(spec.vcpu(), spec.memoryGiB(), spec.architecture());
  }

  /** Parses {@code VCPUxGIB} as given to {@code --node-shape}, e.g. {@code 4x16}. */
  public static NodeShape parse(String text, String architecture) {
    Matcher m = TEXT.matcher(text == null ? "" : text.strip());
    if (!m.matches()
        || Integer.parseInt(m.group(1)) < 1
        || new BigDecimal(m.group(2)).signum() <= 0) {
      throw new UserInputException(
          "--node-shape '" + text + "': write vCPUs x GiB, e.g. 4x16 (4 vCPU, 16 GiB)");
    }
    return new NodeShape(Integer.parseInt(m.group(1)), new BigDecimal(m.group(2)), architecture);
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
