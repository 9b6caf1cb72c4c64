package dev.flinkspot.common;

/**
 * Input a user can fix: a bad manifest, option, annotation or price file. The message is one
 * readable line that names the field and the fix; the CLI prints it and exits 2, the controller
 * turns it into an Event and a status condition.
 */
public class UserInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
