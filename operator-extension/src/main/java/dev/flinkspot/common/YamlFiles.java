package dev.flinkspot.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a user's YAML (or JSON) file, turning every failure into one line that names it. */
public final class YamlFiles {
  private YamlFiles() {}

  /**
   * The document in {@code file}; {@code origin} names it in messages (e.g. {@code --prices
   * prices.yaml}).
   */
  public static JsonNode readTree(ObjectMapper yaml, Path file, String origin) {
    try {
      return yaml.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new UserInputException(origin + ": no such file");
    } catch (JsonProcessingException e) {
      throw new UserInputException(
          origin + ": not valid YAML or JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UserInputException(origin + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** The first line of a parser's message: the rest is a source excerpt a terminal can't use. */
  public static String firstLine(String message) {
    if (message == null) {
      return "invalid value";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
