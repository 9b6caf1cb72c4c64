package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.common.UserInputException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {

  @TempDir Path dir;

  @Test
  void aMissingFileIsNamed() {
    String missing = dir.resolve("no-such-kubeconfig").toString();

    assertThatThrownBy(() -> Kubeconfig.requireExisting(missing))
        .isInstanceOf(UserInputException.class)
        .hasMessageStartingWith("KUBECONFIG names " + missing + ", which does not exist")
        .hasMessageNotContaining("kubernetes.default.svc");
  }

  @Test
  void anExistingFileInThePathListIsEnough() throws Exception {
    Path config = Files.writeString(dir.resolve("config"), "apiVersion: v1\nkind: Config\n");
    String list = dir.resolve("missing") + File.pathSeparator + config;

    assertThatCode(() -> Kubeconfig.requireExisting(list)).doesNotThrowAnyException();
  }

  @Test
  void unsetIsLeftToTheClient() {
    assertThatCode(() -> Kubeconfig.requireExisting(null)).doesNotThrowAnyException();
    assertThatCode(() -> Kubeconfig.requireExisting("")).doesNotThrowAnyException();
  }

  @Test
  void aDirectoryIsNotAKubeconfigFile() {
    assertThatThrownBy(() -> Kubeconfig.requireExisting(dir.toString()))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining(dir.toString());
  }
}
