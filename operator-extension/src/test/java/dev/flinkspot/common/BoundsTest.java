package dev.flinkspot.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BoundsTest {

  @Test
  void extremeDecimalsAreRefusedWithoutExpandingThem() {
    for (String text : new String[] {"1e999999999", "1e-999999999", "-1e999999999"}) {
      assertThatThrownBy(
              () ->
                  Bounds.decimal(
                      "--hours", new BigDecimal(text), BigDecimal.ZERO, true, BigDecimal.TEN))
          .isInstanceOf(UserInputException.class)
          .hasMessageStartingWith("--hours = ")
          .hasMessageContaining("is out of range: use more than 0 to 10")
          .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }
  }

  @Test
  void tooManyDecimalPlacesAreRefusedAndAPlainValueIsKept() {
    assertThatThrownBy(
            () ->
                Bounds.decimal(
                    "price",
                    new BigDecimal("0.000000000000000000001"),
                    BigDecimal.ZERO,
                    true,
                    BigDecimal.ONE))
        .hasMessageContaining("at most 20 decimal places");
    assertThat(
            Bounds.decimal(
                "price", new BigDecimal("0.1230"), BigDecimal.ZERO, true, BigDecimal.ONE))
        .isEqualByComparingTo("0.123");
  }

  @Test
  void countsFromTextAreWholeNumbersInRange() {
    assertThat(Bounds.count("slots", " 4 ", 1, 8)).isEqualTo(4);
    assertThatThrownBy(() -> Bounds.count("slots", "2147483648", 1, 8))
        .hasMessage("slots = 2147483648 is out of range: use 1 to 8");
    assertThatThrownBy(() -> Bounds.count("slots", "9".repeat(100_000), 1, 8))
        .hasMessageStartingWith("slots = '999")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120));
  }

  @Test
  void shownTextHasNoControlCharactersAndABoundedLength() {
    assertThat(Bounds.shown("a\u001b[31mb\r\nc\u202ed")).isEqualTo("a[31mbcd");
    assertThat(Bounds.shown("x".repeat(1_000))).hasSize(60).endsWith("...");
    assertThat(Bounds.printableLines("row 1\u001b[2J\nrow 2\r\n")).isEqualTo("row 1[2J\nrow 2\n");
  }
}
