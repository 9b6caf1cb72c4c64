package dev.flinkspot.cost.refresh;

import dev.flinkspot.common.UserInputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a price file whole or not at all: into a temporary file beside the target, then an atomic
 * rename over it. Problems are one-line {@link UserInputException}s naming {@code --output}.
 */
public final class PriceFileWriter {

  private PriceFileWriter() {}

  /** Fails early, before any API call, when {@code target} cannot be written. */
  public static void checkWritable(Path target) {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (Files.isDirectory(absolute)) {
      throw new UserInputException(
          "--output "
              + target
              + " is a directory: give a file name, e.g. "
              + target.resolve("prices.yaml"));
    }
    if (dir == null || !Files.isDirectory(dir)) {
      throw new UserInputException(
          "--output "
              + target
              + ": directory "
              + dir
              + " does not exist: create it or choose another path");
    }
    if (!Files.isWritable(dir)) {
      throw new UserInputException(
          "--output " + target + ": directory " + dir + " is not writable: choose a writable path");
    }
  }

  /** Replaces {@code target} with {@code content} atomically. */
  public static void write(Path target, String content) {
    checkWritable(target);
    Path absolute = target.toAbsolutePath();
    Path temp = null;
    try {
      temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
      try {
        // createTempFile makes it owner-only; a price file is no secret.
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep its default permissions
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      try {
        Files.move(
            temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (IOException e) {
      throw new UserInputException(
          "--output " + target + ": cannot write (" + e.getMessage() + "): choose a writable path",
          e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: the target itself was never touched
        }
      }
    }
  }
}
