package dev.ferry.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Mesos agent's attributes, read the way Mesos reads them: {@code disk:ssd;rack:a} (the
 * {@code --attributes} flag, or the file {@code /etc/mesos-slave/attributes}), or the Mesosphere
 * packages' directory form, {@code /etc/mesos-slave/attributes/<name>} holding the value.
 */
public final class MesosAttributes {

  private MesosAttributes() {}

  /**
   * Parses {@code name:value;name:value}. Whitespace around names and values is ignored, as is an
   * empty entry (a trailing {@code ;}).
   *
   * @throws IllegalArgumentException naming the entry that has no {@code :}, an empty name, or a
   *     name given twice
   */
  public static Map<String, String> parse(String text) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String entry : text.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int colon = entry.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("attribute '" + entry.strip() + "' is not name:value");
      }
      String name = entry.substring(0, colon).strip();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("attribute '" + entry.strip() + "' has no name");
      }
      if (attributes.put(name, entry.substring(colon + 1).strip()) != null) {
        throw new IllegalArgumentException("attribute '" + name + "' is given twice");
      }
    }
    return Map.copyOf(attributes);
  }

  /** Reads the file or directory form; a path that does not exist means no attributes. */
  public static Map<String, String> read(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      Map<String, String> attributes = new LinkedHashMap<>();
      try (Stream<Path> files = Files.list(path)) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          attributes.put(file.getFileName().toString(), Files.readString(file).strip());
        }
      }
      return Map.copyOf(attributes);
    }
    return Files.exists(path) ? parse(Files.readString(path)) : Map.of();
  }
}
