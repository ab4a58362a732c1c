package dev.ferry.controller.discovery;

import java.net.URI;

/** Where a request to a configured or discovered server goes. */
public final class Urls {

  private Urls() {}

  /**
   * {@code path} under {@code base}, keeping the base's scheme (https too), port and any path
   * prefix (a Marathon behind a proxy at {@code /marathon}).
   */
  public static String under(URI base, String path) {
    return base.toString().replaceAll("/+$", "") + path;
  }
}
