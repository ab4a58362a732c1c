package dev.ferry.api.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * This build's version ({@code 0.1.0-SNAPSHOT}), the same for every module of one build: Maven
 * writes it into {@code build.properties} when it copies the resources, so it is there whether
 * a program runs from its jar or from {@code target/classes} (a jar manifest's
 * Implementation-Version is not). The API server's {@code /version} and {@code ferryctl version}
 * both report it.
 */
public final class BuildVersion {

  private static final String VERSION = read();

  private BuildVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = BuildVersion.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        throw new IllegalStateException("build.properties is missing beside " + BuildVersion.class.getName());
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read build.properties", e);
    }
  }
}
