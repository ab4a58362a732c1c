package dev.ferry.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.e2e.demo.DemoCluster.MigrationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The seed scenario as its acceptance test did it, in a browser: type three todos into the
 * TodoMVC page, move the database to the SSD node by changing its placement, reload, and see
 * the three todos. Screenshots of each step are kept in e2e/target/demo-it/.
 */
class TodoMvcBrowserIT {

  private static final List<String> TODOS = List.of("Buy milk", "Walk the dog", "Move the database to the SSD");

  @RegisterExtension
  final DemoBrowser demo = new DemoBrowser("TodoMvcBrowserIT");

  private Path out;
  private DemoCluster cluster;
  private WebDriver browser;

  @BeforeEach
  void start() {
    out = demo.out();
    cluster = demo.cluster();
  }

  @Test
  void theTodosTypedInTheBrowserAreThereAfterTheDatabaseMovedToTheSsdNode() throws IOException {
    cluster.apply(DemoCluster.manifest("todomvc/db.yaml"));
    cluster.apply(DemoCluster.manifest("todomvc/app.yaml"));
    String redisBefore = cluster.awaitTask("/todos-db", Duration.ofMinutes(2), address -> true);
    String app = "http://" + cluster.awaitTask("/todos", Duration.ofMinutes(3), TodoApi::answers);
    assertThat(redisBefore).startsWith("127.0.1.1:");

    browser = demo.open();
    browser.get(app + "/");
    for (String todo : TODOS) {
      WebElement input = wait(browser).until(b -> b.findElement(By.cssSelector(".new-todo")));
      wait(browser).until(b -> input.isEnabled());
      input.sendKeys(todo, Keys.ENTER);
      wait(browser).until(b -> titlesOnPage(b).contains(todo));
    }
    screenshot("1-three-todos-on-node1");

    cluster.apply(cluster.manifest("todomvc/db.yaml", "[disk, LIKE, spinning]", "[disk, LIKE, ssd]"));
    MigrationResult migration = cluster.awaitMigration("todos-db", "node2", Duration.ofMinutes(4));
    assertThat(migration.phase()).as(migration.toString()).isEqualTo("Succeeded");
    assertThat(cluster.awaitTask("/todos-db", Duration.ofMinutes(1), address -> true)).startsWith("127.0.1.2:");

    browser.navigate().refresh();
    wait(browser).until(b -> titlesOnPage(b).size() == TODOS.size());
    screenshot("2-after-the-move-to-node2");
    assertThat(titlesOnPage(browser)).containsExactlyElementsOf(TODOS);
  }

  /** The titles in the list, read in one script: the page redraws the list after each change. */
  private static List<String> titlesOnPage(WebDriver b) {
    Object titles = ((JavascriptExecutor) b).executeScript(
        "return Array.from(document.querySelectorAll('.todo-list li label'), l => l.textContent);");
    return ((List<?>) titles).stream().map(String::valueOf).toList();
  }

  private static WebDriverWait wait(WebDriver b) {
    // Long enough for a write that waits for the database; the page answers in milliseconds otherwise.
    return new WebDriverWait(b, Duration.ofSeconds(60));
  }

  private void screenshot(String name) throws IOException {
    Chromium.screenshot(browser, out, name);
  }
}
