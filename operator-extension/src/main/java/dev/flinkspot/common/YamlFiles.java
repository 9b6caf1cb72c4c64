package dev.flinkspot.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a user's YAML (or JSON) file, turning every failure into one line that names it. */
public final class YamlFiles {
  /**
   * The largest file read: the API server takes no request over 3 MiB (kubernetes:
   * staging/src/k8s.io/apiserver/pkg/server/config.go, MaxRequestBodyBytes), so no manifest, price
   * file or ClusterConfig a user applies is plausibly larger. Checked while reading, so {@code
   * /dev/zero} or a FIFO is refused too, and before the YAML parser sees anything.
   */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  private YamlFiles() {}

  /** The text of {@code file}, at most {@link #MAX_BYTES}; {@code origin} names it in messages. */
  public static String readText(Path file, String origin) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new UserInputException(
            origin
                + ": larger than "
                + MAX_BYTES / (1024 * 1024)
                + " MiB: not a YAML file to read");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /**
   * The document in {@code file}; {@code origin} names it in messages (e.g. {@code --prices
   * prices.yaml}).
   */
  public static JsonNode readTree(ObjectMapper yaml, Path file, String origin) {
    try {
      return yaml.readTree(readText(file, origin));
    } catch (NoSuchFileException e) {
      throw new UserInputException(origin + ": no such file");
    } catch (JsonProcessingException e) {
      throw new UserInputException(
          origin
              + ": not valid YAML or JSON"
              + where(e)
              + ": "
              + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UserInputException(origin + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** " at line N" where the parser knows the line (it does not always, e.g. nesting too deep). */
  public static String where(JsonProcessingException e) {
    return e.getLocation() == null || e.getLocation().getLineNr() < 1
        ? ""
        : " at line " + e.getLocation().getLineNr();
  }

  /** The first line of a parser's message: the rest is a source excerpt a terminal can't use. */
  public static String firstLine(String message) {
    if (message == null) {
      return "invalid value";
    }
    int newline = message.indexOf('\n');
    return Bounds.shown(newline < 0 ? message : message.substring(0, newline), 200);
  }
}
