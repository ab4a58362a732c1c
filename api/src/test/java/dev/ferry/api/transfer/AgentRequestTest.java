package dev.ferry.api.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentRequestTest {

  private static final ClusterKey KEY = ClusterKey.random();
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String PATH = "/v1/transfers/db";
  private final AgentRequest node1 = new AgentRequest(KEY, "node1", NOW);
  private final AgentRequest node2 = new AgentRequest(KEY, "node2", NOW);

  @Test
  void theCalleeLearnsWhoSignedTheRequest() {
    String header = node1.sign("node2", "POST", PATH, "ticket");

    assertThat(node2.verify(header, "POST", PATH, "ticket")).isEqualTo("node1");
  }

  /** Each row changes one thing about a request node1 signed for node2; node2 must refuse each. */
  @Test
  void aRequestChangedInAnyPartIsRefused() {
    String header = node1.sign("node2", "POST", PATH, "ticket");
    record Row(String what, UnaryOperator<String> header, String method, String path, String ticket, String message) {}
    Row[] rows = {
        new Row("no credential", h -> "", "POST", PATH, "ticket", "no Authorization"),
        new Row("another scheme", h -> "Bearer " + h, "POST", PATH, "ticket", "scheme must be Ferry-Agent"),
        new Row("another method", h -> h, "GET", PATH, "ticket", "not signed with this cluster's key"),
        new Row("another path", h -> h, "POST", "/v1/transfers/other", "ticket", "not signed with this cluster's key"),
        new Row("another ticket", h -> h, "POST", PATH, "other-ticket", "not signed with this cluster's key"),
        new Row("no ticket", h -> h, "POST", PATH, "", "not signed with this cluster's key"),
        new Row("a caller renamed", h -> h.replace(" node1.", " node3."), "POST", PATH, "ticket", "not signed"),
        new Row("a time moved", h -> h.replace("." + NOW.millis() + ".", "." + (NOW.millis() + 1) + "."), "POST",
            PATH, "ticket", "not signed"),
        new Row("a mac cut", h -> h.substring(0, h.length() - 2), "POST", PATH, "ticket", "credential"),
    };
    for (Row row : rows) {
      assertThatThrownBy(() -> node2.verify(row.header().apply(header), row.method(), row.path(), row.ticket()))
          .as(row.what()).isInstanceOf(UnauthenticatedException.class).hasMessageContaining(row.message());
    }
  }

  @Test
  void aRequestSignedWithAnotherKeyIsRefused() {
    String forged = new AgentRequest(ClusterKey.random(), "node1", NOW).sign("node2", "GET", PATH, "");

    assertThatThrownBy(() -> node2.verify(forged, "GET", PATH, ""))
        .isInstanceOf(UnauthenticatedException.class).hasMessageContaining("not signed with this cluster's key");
  }

  @Test
  void aRequestMadeForAnotherNodeIsRefused() {
    String forNode3 = node1.sign("node3", "GET", PATH, "");

    assertThatThrownBy(() -> node2.verify(forNode3, "GET", PATH, ""))
        .isInstanceOf(UnauthenticatedException.class).hasMessageContaining("signed for node node3, this is node2");
  }

  @Test
  void aRequestOlderOrNewerThanTheAllowedSkewIsRefused() {
    String old = new AgentRequest(KEY, "node1", Clock.offset(NOW, Duration.ofMinutes(-3))).sign("node2", "GET", PATH, "");
    String future = new AgentRequest(KEY, "node1", Clock.offset(NOW, Duration.ofMinutes(3))).sign("node2", "GET", PATH, "");
    String recent = new AgentRequest(KEY, "node1", Clock.offset(NOW, Duration.ofMinutes(-1))).sign("node2", "GET", PATH, "");

    assertThatThrownBy(() -> node2.verify(old, "GET", PATH, "")).hasMessageContaining("a replay, or the clocks disagree");
    assertThatThrownBy(() -> node2.verify(future, "GET", PATH, "")).hasMessageContaining("a replay, or the clocks disagree");
    assertThat(node2.verify(recent, "GET", PATH, "")).isEqualTo("node1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ferry-Agent ", "Ferry-Agent a.b.c", "Ferry-Agent node1.node2.x.abc", "Ferry-Agent a.b.1.!!",
      "Ferry-Agent ../x.node2.1.abc", "Ferry-Agent node1.node2.1.abc.d"})
  void malformedCredentialsAreRefused(String header) {
    assertThatThrownBy(() -> node2.verify(header, "GET", PATH, "")).isInstanceOf(UnauthenticatedException.class);
  }
}
