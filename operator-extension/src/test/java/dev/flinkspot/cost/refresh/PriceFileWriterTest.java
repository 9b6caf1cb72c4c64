package dev.flinkspot.cost.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.common.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A price file is replaced whole or not at all, and bad paths are one-line errors. */
class PriceFileWriterTest {
  @TempDir Path dir;

  @Test
  void replacesTheFileAndLeavesNoTemporaryFileBehind() throws Exception {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(file, "old");

    PriceFileWriter.write(file, "new: 1\n");

    assertThat(Files.readString(file)).isEqualTo("new: 1\n");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aMissingDirectoryIsNamedWithTheFix() {
    Path file = dir.resolve("no/such/dir/prices.yaml");

    assertThatThrownBy(() -> PriceFileWriter.write(file, "x"))
        .isInstanceOf(UserInputException.class)
        .hasMessageStartingWith("--output " + file + ": directory ")
        .hasMessageEndingWith("does not exist: create it or choose another path");
    assertThat(Files.exists(file)).isFalse();
  }

  @Test
  void aDirectoryIsNotAFileName() {
    assertThatThrownBy(() -> PriceFileWriter.checkWritable(dir))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("is a directory: give a file name");
  }
}
