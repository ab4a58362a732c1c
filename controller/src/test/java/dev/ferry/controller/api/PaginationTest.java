package dev.ferry.controller.api;

import static dev.ferry.controller.api.ObjectApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testing.TestManifests;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lists in pages, as a client with many objects (or one that wants the server to hold them all
 * in one answer) reads them: {@code ?limit=} and {@code ?continue=}, a page never larger than the
 * server's maximum, every page of one list at one revision, and a token that is garbled,
 * forged or too old refused saying which parameter and why.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PaginationTest {

  private static final int MAX_PAGE = 5;
  private static final int APPS = 12;
  private static final String LIST = "/apis/ferry/v1/statefulapps";

  @RegisterExtension
  static final ApiFixture api = ApiFixture.withOwnEtcd(ApiServerOptions.defaults().withListen("127.0.0.1", 0)
      .withMaxListPage(MAX_PAGE));

  @BeforeAll
  static void manyApps() {
    for (int i = 0; i < APPS; i++) {
      String name = name(i);
      HttpResponse<String> created = api.put(LIST + "/" + name,
          TestManifests.redisApp(name, i % 3 == 0 ? "{tier: db}" : "{tier: web}", "ssd"));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
  }

  private static String name(int i) {
    return "page-%02d".formatted(i);
  }

  @Test
  void aListWithoutALimitHoldsAtMostTheServersPageAndTheRestFollowsByContinue() {
    JsonNode first = json(api.get(LIST));

    assertThat(first.path("items")).hasSize(MAX_PAGE);
    assertThat(first.at("/metadata/continue").asText()).isNotEmpty();
    assertThat(first.at("/metadata/remainingItemCount").asLong()).isEqualTo(APPS - MAX_PAGE);
    List<String> all = readAll(LIST, first);
    assertThat(all).containsExactlyElementsOf(IntStream.range(0, APPS).mapToObj(PaginationTest::name).toList());
  }

  @Test
  void aLimitAboveTheServersMaximumIsServedAsTheMaximum() {
    JsonNode page = json(api.get(LIST + "?limit=100000"));

    assertThat(page.path("items")).hasSize(MAX_PAGE);
    assertThat(page.at("/metadata/continue").asText()).isNotEmpty();
  }

  @Test
  void theLastPageHasNoContinue() {
    JsonNode first = json(api.get(LIST + "?limit=4"));
    JsonNode second = page(LIST + "?limit=4", first);
    JsonNode third = page(LIST + "?limit=4", second);

    assertThat(third.path("items")).hasSize(4);
    assertThat(third.path("metadata").has("continue")).as(third.toString()).isFalse();
    assertThat(third.path("metadata").has("remainingItemCount")).isFalse();
  }

  @Test
  void everyPageOfOneListIsReadAtTheFirstPagesRevision() {
    JsonNode first = json(api.get(LIST + "?limit=3"));
    long revision = first.at("/metadata/resourceVersion").asLong();
    // After the first page: one app that the list has not reached yet goes, a new one comes.
    assertThat(api.send("DELETE", LIST + "/" + name(10), ApiFixture.ADMIN, null).statusCode()).isEqualTo(200);
    assertThat(api.put(LIST + "/page-99", TestManifests.redisApp("page-99", "{}", "ssd")).statusCode()).isEqualTo(201);
    try {
      JsonNode second = page(LIST + "?limit=3", first);
      List<String> all = readAll(LIST + "?limit=3", first);

      assertThat(second.at("/metadata/resourceVersion").asLong()).isEqualTo(revision);
      assertThat(all).contains(name(10)).doesNotContain("page-99").hasSize(APPS);
      assertThat(names(json(api.get(LIST + "?limit=100")))).doesNotContain(name(10));
    } finally {
      api.send("DELETE", LIST + "/page-99", ApiFixture.ADMIN, null);
      api.put(LIST + "/" + name(10), TestManifests.redisApp(name(10), "{tier: web}", "ssd"));
    }
  }

  @Test
  void aSelectorPagesThroughTheMatchesOnly() {
    String query = LIST + "?limit=2&labelSelector=" + URLEncoder.encode("tier=db", StandardCharsets.UTF_8);
    JsonNode first = json(api.get(query));

    assertThat(first.path("items")).hasSize(2);
    assertThat(first.path("metadata").has("remainingItemCount")).as("unknown without reading on").isFalse();
    assertThat(readAll(query, first)).containsExactly(name(0), name(3), name(6), name(9));
  }

  @Test
  void aContinueTokenWhoseRevisionWasCompactedIsGoneSayingToStartAgain() {
    JsonNode first = json(api.get(LIST + "?limit=2"));
    // The list's revision falls behind the compaction only once something is written after it.
    assertThat(api.put(LIST + "/" + name(0), TestManifests.redisApp(name(0), "{tier: db, touched: x}", "ssd"))
        .statusCode()).isEqualTo(200);
    api.etcd().compact();

    HttpResponse<String> gone = api.get(LIST + "?limit=2&continue=" + first.at("/metadata/continue").asText());

    assertThat(gone.statusCode()).as(gone.body()).isEqualTo(410);
    assertThat(json(gone).path("reason").asText()).isEqualTo("Gone");
    assertThat(json(gone).path("message").asText()).contains("continue token is too old").contains("start the list again");
    assertThat(json(api.get(LIST + "?limit=2")).path("items")).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "ten", "1.5", "99999999999999999999", ""})
  void aLimitThatIsNotAPositiveNumberIsRefusedNamingIt(String limit) {
    long before = api.revision();

    HttpResponse<String> refused = api.get(LIST + "?limit=" + limit);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(json(refused).path("message").asText()).startsWith("limit must be a whole number");
    assertThat(api.revision()).isEqualTo(before);
  }

  @Test
  void garbledForgedAndForeignContinueTokensAreRefusedNamingContinue() {
    String realToken = json(api.get(LIST + "?limit=2")).at("/metadata/continue").asText();
    long revision = api.revision();
    List<String> bad = List.of(
        "not-a-token!",
        realToken.substring(0, realToken.length() / 2),
        token("{\"v\":1,\"kind\":\"nodes\",\"rv\":" + revision + ",\"after\":\"page-01\"}"),
        token("{\"v\":1,\"kind\":\"statefulapps\",\"rv\":" + revision + ",\"after\":\"../../nodes/x\"}"),
        token("{\"v\":1,\"kind\":\"statefulapps\",\"rv\":-4,\"after\":\"page-01\"}"),
        token("{\"v\":1,\"kind\":\"statefulapps\",\"rv\":" + revision + ",\"after\":\"page-01\",\"extra\":1}"),
        token("[1,2,3]"),
        "A".repeat(ContinueToken.MAX_LENGTH + 1));

    for (String token : bad) {
      HttpResponse<String> refused = api.get(LIST + "?continue=" + URLEncoder.encode(token, StandardCharsets.UTF_8));

      assertThat(refused.statusCode()).as(token + ": " + refused.body()).isEqualTo(400);
      assertThat(json(refused).path("message").asText()).as(token).startsWith("continue: invalid token");
    }
    assertThat(api.revision()).isEqualTo(revision);
  }

  @Test
  void aTokenForARevisionEtcdHasNotReachedIsRefused() {
    HttpResponse<String> refused = api.get(LIST + "?continue="
        + token("{\"v\":1,\"kind\":\"statefulapps\",\"rv\":" + (api.revision() + 1000) + ",\"after\":\"page-01\"}"));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(json(refused).path("message").asText()).contains("is in the future");
  }

  private static String token(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The page after {@code previous}, of the list {@code query} (which already has its ?). */
  private static JsonNode page(String query, JsonNode previous) {
    String sep = query.contains("?") ? "&" : "?";
    HttpResponse<String> next = api.get(query + sep + "continue=" + previous.at("/metadata/continue").asText());
    assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
    return json(next);
  }

  /** The names on {@code first} and every page after it. */
  private static List<String> readAll(String query, JsonNode first) {
    List<String> all = new ArrayList<>(names(first));
    JsonNode current = first;
    while (current.path("metadata").has("continue")) {
      current = page(query, current);
      assertThat(current.path("items").size()).isLessThanOrEqualTo(MAX_PAGE);
      // Only the last page may be empty: a selector's last matches can be before the end.
      if (current.path("metadata").has("continue")) {
        assertThat(current.path("items").size()).isPositive();
      }
      all.addAll(names(current));
    }
    return all;
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.path("items").forEach(i -> names.add(i.at("/metadata/name").asText()));
    return names;
  }
}
