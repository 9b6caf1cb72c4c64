package dev.flinkspot.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code flinkspot version} (and {@code --version}): the build version, commit and runtime. */
@Command(name = "version", description = "Print the version, its git commit and the Java runtime.")
final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    return 0;
  }

  /**
   * Reads the version Maven stamped into {@code flinkspot-version.properties} and the commit the
   * build wrote into {@code flinkspot-git.properties} (operator-extension/pom.xml, git-commit).
   */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "flinkspot "
            + buildVersion()
            + " (commit "
            + property("/flinkspot-git.properties", "commit")
            + ")",
        "java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }

    static String buildVersion() {
      return property("/flinkspot-version.properties", "version");
    }

    private static String property(String resource, String key) {
      try (InputStream in = VersionCommand.class.getResourceAsStream(resource)) {
        if (in == null) {
          return "unknown";
        }
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty(key, "unknown");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
