package dev.ferry.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The agent's version, as the build stamped it into {@code version.properties}. */
public final class AgentVersion {

  private AgentVersion() {}

  /** The project version, or {@code unknown} for classes not built by Maven. */
  public static String current() {
    try (InputStream in = AgentVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String version = p.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
