package dev.flinkspot.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ControllerProcessTest {

  @Test
  void aControllersLogIsNamedAfterTheTestThatStartedItEvenThroughAHelper() {
    assertThat(startedThroughAHelper())
        .isEqualTo(
            "ControllerProcessTest.aControllersLogIsNamedAfterTheTestThatStartedItEvenThroughAHelper");
  }

  @Test
  void eachControllerOfATestHasItsOwnLogUnderTarget() throws Exception {
    Path first = ControllerProcess.logFile("ControllerProcessTest.twoControllers");
    Path second = ControllerProcess.logFile("ControllerProcessTest.twoControllers");

    assertThat(first).isNotEqualTo(second);
    assertThat(first.getFileName().toString())
        .matches("ControllerProcessTest.twoControllers-\\d+\\.log");
    assertThat(first.getParent())
        .isEqualTo(RepoRoot.find().resolve(ControllerProcess.LOG_DIR))
        .satisfies(dir -> assertThat(Files.isDirectory(dir)).isTrue());
  }

  private static String startedThroughAHelper() {
    return ControllerProcess.testName();
  }
}
