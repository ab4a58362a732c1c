package dev.ferry.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds files in {@code shared/}, the folder next to the repository that holds Marathon's own
 * schemas and examples. Tests check Ferry against them; a missing folder fails the test with a
 * message saying where it was looked for, rather than skipping it.
 */
public final class SharedFiles {

  private SharedFiles() {}

  /** The path of {@code shared/<relative>}, searched upwards from the working directory. */
  public static Path path(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared").resolve(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/" + relative + " not found in " + dir + " or any folder above it:"
        + " Ferry's checkout expects ../shared next to it");
  }
}
