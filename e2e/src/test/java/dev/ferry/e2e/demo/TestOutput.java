package dev.ferry.e2e.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where a demo test keeps what it leaves behind: the cluster's state directory (its logs) and
 * screenshots, under {@code e2e/target/demo-it/TEST-TIME/}, so that a failed run can be read
 * after the fact. Not a JUnit temp dir: that one is deleted, and is closed to the user postgres.
 */
final class TestOutput {

  private TestOutput() {}

  static Path directory(String test) throws IOException {
    String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path dir = DemoCluster.HOME.resolve("e2e").resolve("target").resolve("demo-it").resolve(test + "-" + time);
    Files.createDirectories(dir);
    return dir;
  }
}
