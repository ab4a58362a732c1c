package dev.ferry.example;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Deploys the app in a test's Vert.x, as {@link TodoMain#main} does in its own. */
public final class TodoMainHarness {

  private TodoMainHarness() {}

  public static Future<String> deploy(Vertx vertx, ExampleConfig config) {
    return vertx.deployVerticle(new TodoMain(config));
  }
}
