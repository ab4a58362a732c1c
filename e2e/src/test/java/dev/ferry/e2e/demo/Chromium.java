package dev.ferry.e2e.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/** The browser of the browser tests: Debian's headless Chromium with its own driver, nothing downloaded. */
final class Chromium {

  private Chromium() {}

  /** A headless Chromium with its profile in {@code profile}, and {@code moreArguments} on its command line. */
  static WebDriver start(Path profile, String... moreArguments) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    List<String> arguments = new ArrayList<>(List.of("--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run", "--window-size=1024,768",
        "--user-data-dir=" + profile));
    arguments.addAll(List.of(moreArguments));
    options.addArguments(arguments);
    // The page's console, for a test that failed to say what the page said.
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  /** What the page wrote to its console so far, one line a message. */
  static String console(WebDriver browser) {
    StringBuilder lines = new StringBuilder();
    browser.manage().logs().get(LogType.BROWSER).forEach(entry -> lines.append(entry.getLevel()).append(' ')
        .append(entry.getMessage()).append('\n'));
    return lines.toString();
  }

  /** Saves what the browser shows as {@code dir/name.png}. */
  static void screenshot(WebDriver browser, Path dir, String name) throws IOException {
    Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
