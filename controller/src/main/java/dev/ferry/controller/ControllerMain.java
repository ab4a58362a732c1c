package dev.ferry.controller;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ControllerMain [--config] [CONFIG.yaml]}: starts a controller and runs until SIGTERM or SIGINT,
 * then stops it cleanly. Without an argument, {@code FERRY_CONFIG_FILE} names the file, or
 * only the environment and defaults count. Exits 1 with a one-line reason if it cannot start.
 */
public final class ControllerMain {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerMain.class);

  private ControllerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Controller controller;
    try {
      controller = Controller.start(ControllerConfig.parse(configText(args), System.getenv()));
    } catch (RuntimeException e) {
      System.err.println("ferry controller: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      controller.close();
      stopped.countDown();
    }, "ferry-shutdown"));
    stopped.await();
  }

  private static String configText(String[] args) {
    List<String> rest = new ArrayList<>(List.of(args));
    rest.remove("--config");
    if (rest.size() > 1) {
      throw new IllegalArgumentException("usage: ControllerMain [--config] [CONFIG.yaml]");
    }
    String file = !rest.isEmpty() ? rest.get(0) : System.getenv().getOrDefault("FERRY_CONFIG_FILE", "");
    if (file.isEmpty()) {
      return "";
    }
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the config file " + file + ": " + e.getMessage(), e);
    }
  }
}
