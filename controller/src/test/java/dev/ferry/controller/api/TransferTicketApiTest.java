package dev.ferry.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Transfer;
import dev.ferry.api.transfer.ClusterKey;
import dev.ferry.api.transfer.TransferTicket;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Migration's transfer ticket is for the agents, which read it from etcd: no API client, of any
 * role, reads it through a get, a list or a watch. The rest of the round's status stays visible.
 */
class TransferTicketApiTest {

  @RegisterExtension
  static final ApiFixture api = ApiFixture.withOwnEtcd();
  static final String MIGRATIONS = "/apis/ferry/v1/migrations";

  @Test
  void noRoleReadsTheTicketFromAGetAListOrAWatch() throws Exception {
    try (WatchClient watch = WatchClient.open(api, "kind=migrations&name=tk-move", ApiFixture.VIEW)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> watch.types().contains("SYNCED"));
      String ticket = inFlight("tk-move");

      for (String token : new String[] {ApiFixture.VIEW, ApiFixture.EDIT, ApiFixture.ADMIN}) {
        HttpResponse<String> one = api.send("GET", MIGRATIONS + "/tk-move", token, null);
        HttpResponse<String> all = api.send("GET", MIGRATIONS, token, null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("\"snapshot\":\"tk-move-0\"").doesNotContain(ticket).doesNotContain("ticket");
        assertThat(all.body()).contains("\"snapshot\":\"tk-move-0\"").doesNotContain(ticket).doesNotContain("ticket");
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> watch.seen().contains("MODIFIED tk-move"));
      assertThat(watch.frames.toString()).contains("tk-move-0").doesNotContain(ticket).doesNotContain("ticket");
      Migration stored = api.store.get(Kind.MIGRATION, "tk-move").get(20, TimeUnit.SECONDS).orElseThrow();
      assertThat(stored.status().currentTransfer().orElseThrow().ticket()).as("what the agents read").isEqualTo(ticket);
    }
  }

  /** Writes a Migration whose round 0 is asked for, as the controller does; returns its ticket. */
  private static String inFlight(String name) throws Exception {
    Migration m = api.store.create(new Migration(ObjectMeta.named(name),
        new MigrationSpec(name + "-app", name + "-data", "node1", "node2", null, null, 0))).get(20, TimeUnit.SECONDS);
    String ticket = TransferTicket.issue(m.metadata().uid(), 0, name + "-data", "node1", "node2", "", name + "-0",
        Duration.ofMinutes(5), Clock.systemUTC()).encode(ClusterKey.random());
    api.store.updateStatus(m.withStatus(m.status().withTransfer(Transfer.request(0, name + "-0", false, ticket,
        Instant.now())))).get(20, TimeUnit.SECONDS);
    return ticket;
  }
}
