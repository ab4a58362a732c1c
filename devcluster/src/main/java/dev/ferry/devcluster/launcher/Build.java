package dev.ferry.devcluster.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Maven build in the repository: a module's main class runs from {@code MODULE/target/classes}
 * plus the {@code target/runtime-classpath.txt} that {@code mvn package} writes.
 */
public record Build(Path home) {

  /** A main class of a module. */
  public record Main(String module, String className) {
    public String classFile() {
      return className.replace('.', '/') + ".class";
    }
  }

  public static final Main SCHEDULER = new Main("devcluster", "dev.ferry.devcluster.DevclusterMain");
  public static final Main ZOOKEEPER = new Main("devcluster", "dev.ferry.devcluster.launcher.ZooKeeperMain");
  public static final Main AGENT = new Main("node-agent", "dev.ferry.agent.AgentMain");
  public static final Main CONTROLLER = new Main("controller", "dev.ferry.controller.ControllerMain");

  public boolean hasClass(Main main) {
    return Files.isRegularFile(classes(main).resolve(main.classFile()));
  }

  /** Whether the class is there but {@code mvn package} has not written its classpath. */
  boolean missingClasspath(Main main) {
    return !Files.isRegularFile(classpathFile(main));
  }

  /** The {@code -cp} value for the main's module. */
  public String classpath(Main main) {
    try {
      return classes(main) + ":" + Files.readString(classpathFile(main)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + classpathFile(main) + ": run `mvn -B -q package -DskipTests`", e);
    }
  }

  String whatIsMissing(Main main) {
    return "no " + main.className() + " in " + home.relativize(classes(main));
  }

  private Path classes(Main main) {
    return home.resolve(main.module()).resolve("target").resolve("classes");
  }

  private Path classpathFile(Main main) {
    return home.resolve(main.module()).resolve("target").resolve("runtime-classpath.txt");
  }
}
