package dev.ferry.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds files in the repository's {@code testdata/} folder (Marathon's own schemas and examples,
 * vendored with their origin and license in {@code testdata/marathon/SOURCES.txt}) from whichever
 * module's folder a test runs in. A missing file fails the test with where it was looked for.
 */
public final class TestData {

  private TestData() {}

  /** The path of {@code testdata/<relative>}, searched upwards from the working directory. */
  public static Path path(String relative) {
    return repositoryFile("testdata/" + relative);
  }

  /** The path of a file of the repository such as {@code scripts/ferry-task-guard}, searched upwards. */
  public static Path repositoryFile(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(relative + " not found in " + dir + " or any folder above it");
  }
}
