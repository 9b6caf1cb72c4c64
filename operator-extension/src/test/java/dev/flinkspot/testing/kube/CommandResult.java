package dev.flinkspot.testing.kube;

import java.util.List;

/** The outcome of one command run by the test support (kubectl, the build script). */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

  public boolean ok() {
    return exitCode == 0;
  }

  /** Returns this result when the command succeeded, otherwise fails with its output. */
  public CommandResult orThrow() {
    if (!ok()) {
      throw new AssertionError(describe());
    }
    return this;
  }

  public String describe() {
    return String.join(" ", command)
        + " exited with "
        + exitCode
        + "\n--- stdout ---\n"
        + stdout
        + "\n--- stderr ---\n"
        + stderr;
  }
}
