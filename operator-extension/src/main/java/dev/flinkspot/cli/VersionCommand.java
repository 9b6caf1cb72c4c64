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

/** {@code flinkspot version}: the build version and the runtime it runs on. */
@Command(name = "version", description = "Print the flinkspot version and the Java runtime.")
final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    return 0;
  }

  /** Reads the version Maven stamped into {@code flinkspot-version.properties}. */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "flinkspot " + buildVersion(),
        "java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }

    static String buildVersion() {
      try (InputStream in =
          VersionCommand.class.getResourceAsStream("/flinkspot-version.properties")) {
        if (in == null) {
          return "unknown";
        }
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version", "unknown");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
