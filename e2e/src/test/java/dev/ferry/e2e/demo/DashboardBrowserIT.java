package dev.ferry.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at /ui/ of a one-machine cluster, in headless Chromium, as a user sees it: a
 * view token shows both nodes and the database on node1 but may not move it (the page shows
 * the 403); once its placement allows either disk, an edit token moves it to node2 from the page, and the migration's card shows the
 * progress, then the timeline through Start to Succeeded and the downtime, while the app's card
 * says node2, all without a reload. Screenshots of each step are kept in
 * e2e/target/demo-it/DashboardBrowserIT/.
 */
class DashboardBrowserIT {

  @RegisterExtension
  final DemoBrowser demo = new DemoBrowser("DashboardBrowserIT");

  private Path out;
  private DemoCluster cluster;
  private WebDriver browser;

  @BeforeEach
  void start() {
    out = demo.out();
    cluster = demo.cluster();
  }

  @Test
  void aViewTokenLooksAndAnEditTokenMovesTheDatabaseFromThePage() throws IOException {
    String viewer = cluster.addToken("viewer", "view");
    String editor = cluster.addToken("editor", "edit");
    cluster.apply(DemoCluster.manifest("todomvc/db.yaml"));
    // Only the controller's own certificate is trusted, by its key: no certificate check is turned off.
    browser = demo.open("--ignore-certificate-errors-spki-list=" + cluster.controllerKeyPin());
    // Tall enough that a screenshot shows a whole section.
    browser.manage().window().setSize(new Dimension(1280, 1400));
    browser.get(cluster.controllerUrl() + "/ui/");
    wait(Duration.ofSeconds(30)).until(b -> visible("sign-in"));
    screenshot("1-sign-in");

    signIn(viewer);
    wait(Duration.ofSeconds(60)).until(b -> cardText("nodes", "node1").contains("disk=spinning")
        && cardText("nodes", "node2").contains("disk=ssd"));
    assertThat(cardText("nodes", "node1")).contains("✓ Up", "pool usage", "used of", "free");
    // zfs-fuse, shared by every test on the machine, can take minutes to create a pool's first dataset.
    wait(Duration.ofMinutes(5)).until(b -> cardText("apps", "todos-db").contains("node1")
        && cardText("apps", "todos-db").contains("1 running"));
    assertThat(cardText("apps", "todos-db")).contains("Marathon task", "/todos-db", "✓ True Ready");
    // Either disk will do now: the app stays where its data is until someone moves it.
    cluster.apply(cluster.manifest("todomvc/db.yaml", "[disk, LIKE, spinning]", "[disk, LIKE, \"spinning|ssd\"]"));
    wait(Duration.ofSeconds(60)).until(b -> cardText("datasets", "todos-data").contains("node1 (primary)"));
    wait(Duration.ofSeconds(60)).until(b -> text("events").contains("statefulapp/todos-db"));
    assertThat(text("connection")).contains("live");
    screenshot("2-view-token-sees-nodes-and-app");

    new Select(browser.findElement(By.id("move-todos-db"))).selectByVisibleText("node2");
    click("#apps [data-name='todos-db'] .move-button");
    wait(Duration.ofSeconds(30)).until(b -> moveMessage().contains("refused (403)"));
    assertThat(moveMessage()).contains("role view", "needs role edit");
    assertThat(cardText("apps", "todos-db")).contains("node1");
    assertThat(cluster.ferryctl("get", "migrations").output()).doesNotContain("todos-db-");
    screenshot("3-view-token-may-not-move", "#apps");

    click("#sign-out");
    wait(Duration.ofSeconds(10)).until(b -> visible("sign-in"));
    assertThat(sessionToken()).isEmpty();
    signIn(editor);
    wait(Duration.ofSeconds(60)).until(b -> cardText("apps", "todos-db").contains("1 running"));
    // Every progress line the page ever shows, recorded as it draws them.
    ((JavascriptExecutor) browser).executeScript("""
        window.seenProgress = [];
        new MutationObserver(() => document.querySelectorAll('#migrations .progress-text')
            .forEach(p => window.seenProgress.push(p.textContent)))
          .observe(document.getElementById('migrations'), {childList: true, subtree: true});""");
    new Select(browser.findElement(By.id("move-todos-db"))).selectByVisibleText("node2");
    click("#apps [data-name='todos-db'] .move-button");
    wait(Duration.ofSeconds(30)).until(b -> moveMessage().contains("created"));
    assertThat(moveMessage()).contains("moves from node1 to node2");
    wait(Duration.ofSeconds(60)).until(b -> !text("migrations").contains("no migrations"));
    screenshot("4-edit-token-moves-the-database", "#migrations");

    wait(Duration.ofMinutes(5)).until(b -> migrationText().contains("Succeeded") || migrationText().contains("RolledBack")
        || migrationText().contains("✗ Failed"));
    String migration = migrationText();
    screenshot("5-migration-succeeded", "#migrations");
    assertThat(migration).contains("✓ Succeeded", "node1 → node2", "round 0 (full copy)", "✓ done · Quiesce",
        "✓ done · FinalSync", "✓ done · Switch", "✓ done · Start", "Downtime: ");
    assertThat(migration).doesNotContain("to come", "▶ now");
    assertThat(seenProgress()).as("progress lines shown during the move").isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains("sent", "/s"));
    // The app turns Ready again on the other node, as the page says it without a reload.
    wait(Duration.ofMinutes(1)).until(b -> cardText("apps", "todos-db").contains("node2")
        && cardText("apps", "todos-db").contains("1 running") && cardText("apps", "todos-db").contains("✓ True Ready"));
    assertThat(cardText("datasets", "todos-data")).contains("node2 (primary)");

    // A phone's width: everything still fits, nothing scrolls sideways.
    browser.manage().window().setSize(new Dimension(390, 844));
    wait(Duration.ofSeconds(10)).until(b -> (Boolean) script(
        "return document.documentElement.scrollWidth <= window.innerWidth;"));
    screenshot("6-narrow-screen");
  }

  private void signIn(String token) {
    wait(Duration.ofSeconds(10)).until(b -> visible("sign-in"));
    browser.findElement(By.id("token")).sendKeys(token);
    click("#sign-in-button");
    wait(Duration.ofSeconds(30)).until(b -> visible("board"));
    // The token is in this tab's session storage, and never in the address.
    assertThat(sessionToken()).isEqualTo(token);
    assertThat(browser.getCurrentUrl()).doesNotContain(token).endsWith("/ui/");
  }

  private boolean visible(String id) {
    return (Boolean) script("const e = document.getElementById(arguments[0]); return !!e && !e.hidden;", id);
  }

  private String text(String id) {
    return String.valueOf(script("return document.getElementById(arguments[0]).innerText;", id));
  }

  /** The text of the card of {@code name} in section {@code list}, empty when there is none. */
  private String cardText(String list, String name) {
    Object found = script("const c = [...document.getElementById(arguments[0]).children]"
        + ".find(c => c.dataset.name === arguments[1]); return c ? c.innerText : '';", list, name);
    return String.valueOf(found);
  }

  private String moveMessage() {
    return String.valueOf(script("const m = document.querySelector(\"#apps [data-name='todos-db'] .move-message\");"
        + " return m ? m.textContent : '';"));
  }

  /** The newest migration's card. */
  private String migrationText() {
    return String.valueOf(script("const m = document.querySelector('#migrations .migration'); return m ? m.innerText : '';"));
  }

  private List<String> seenProgress() {
    return ((List<?>) script("return window.seenProgress;")).stream().map(String::valueOf).toList();
  }

  private String sessionToken() {
    Object token = script("return sessionStorage.getItem('ferry.token') || '';");
    return String.valueOf(token);
  }

  private void click(String css) {
    browser.findElement(By.cssSelector(css)).click();
  }

  private Object script(String code, Object... arguments) {
    return ((JavascriptExecutor) browser).executeScript(code, arguments);
  }

  /** A wait whose timeout says what the page showed: its connection line, its text and its console. */
  private WebDriverWait wait(Duration within) {
    WebDriverWait wait = new WebDriverWait(browser, within);
    wait.withMessage(() -> "the page showed:\n" + script("return document.body.innerText;")
        + "\n-- console:\n" + Chromium.console(browser));
    return wait;
  }

  private void screenshot(String name) throws IOException {
    Chromium.screenshot(browser, out, name);
  }

  /** A screenshot with the element {@code css} scrolled to the top of the window. */
  private void screenshot(String name, String css) throws IOException {
    script("document.querySelector(arguments[0]).scrollIntoView({block: 'start'});", css);
    screenshot(name);
  }
}
