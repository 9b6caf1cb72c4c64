package dev.flinkspot.cli;

import dev.flinkspot.common.UserInputException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** {@code --bind-address}: an IPv4 or IPv6 literal, never a host name (no DNS lookup at start). */
final class BindAddresses {

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

  private BindAddresses() {}

  /** The address as given, or one line naming the option and the fix. */
  static String parse(String given) {
    if (given != null && IPV4.matcher(given).matches()) {
      return given;
    }
    if (given != null && given.contains(":") && IPV6.matcher(given).matches()) {
      try {
        // A literal: getByName only parses it (a name would need ':' and other letters).
        return InetAddress.getByName(given).getHostAddress();
      } catch (UnknownHostException e) {
        // not a literal after all: the error below
      }
    }
    throw new UserInputException(
        "--bind-address: '"
            + given
            + "' is not an IP address: use "
            + ControllerCommand.LOOPBACK
            + " (this host only) or "
            + ControllerCommand.ALL_INTERFACES
            + " (every interface)");
  }
}
