package dev.ferry.devcluster;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code ../shared/marathon} (Marathon's schema and examples) from wherever the tests run. */
final class MarathonFiles {

  private MarathonFiles() {}

  static Path dir() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      for (Path candidate : new Path[] {p.resolve("../shared/marathon"), p.resolve("shared/marathon")}) {
        if (Files.isDirectory(candidate.resolve("examples")) && Files.isDirectory(candidate.resolve("schema"))) {
          return candidate.normalize();
        }
      }
    }
    throw new IllegalStateException("Marathon's reference files (../shared/marathon with examples/ and schema/) "
        + "are not beside the repository; looked upwards from " + here);
  }
}
