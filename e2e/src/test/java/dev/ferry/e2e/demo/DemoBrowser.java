package dev.ferry.e2e.demo;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.WebDriver;

/**
 * For each test, a demo cluster of its own (its output in {@code e2e/target/demo-it/NAME-*}) and
 * the Chromium the test opens on it; after the test, whatever happened, the browser quits and the
 * cluster is stopped:
 *
 * <pre>{@code
 * @RegisterExtension final DemoBrowser demo = new DemoBrowser("TodoMvcBrowserIT");
 * }</pre>
 */
final class DemoBrowser implements BeforeEachCallback, AfterEachCallback {

  private final String name;
  private Path out;
  private DemoCluster cluster;
  private WebDriver browser;

  DemoBrowser(String name) {
    this.name = name;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    out = TestOutput.directory(name);
    cluster = DemoCluster.up(out);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      browser = null;
      if (cluster != null) {
        cluster.close();
      }
      cluster = null;
    }
  }

  /** Where this test's screenshots, logs and cluster state go. */
  Path out() {
    return out;
  }

  DemoCluster cluster() {
    return cluster;
  }

  /** Starts Chromium with a profile in {@link #out()} and {@code moreArguments}; it quits after the test. */
  WebDriver open(String... moreArguments) {
    browser = Chromium.start(out.resolve("chromium-profile"), moreArguments);
    return browser;
  }
}
