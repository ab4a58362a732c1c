package dev.ferry.cli;

import static dev.ferry.cli.FerryctlTest.app;
import static dev.ferry.cli.FerryctlTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Migration;
import dev.ferry.api.model.MigrationPhase;
import dev.ferry.api.model.MigrationSpec;
import dev.ferry.api.model.MigrationStatus;
import dev.ferry.api.model.ObjectMeta;
import org.junit.jupiter.api.Test;

/** What a new user tripped over following the README. */
class FerryctlUxTest extends CliTestCase {

  @Test
  void describePrintsALongMessageOnOneLine() throws Exception {
    // As the StatefulApp reconciler creates it: users may only create Migrations for apps that exist.
    ferry.api.store.create(new Migration(ObjectMeta.named("ux-move"),
        new MigrationSpec("ux-db", "ux-data", "node1", "node2", null, null, 0))).join();
    String message = "node node2 does not satisfy the placement constraints [[disk, LIKE, ssd]] of statefulapp/ux-db:"
        + " it has {disk=spinning, rack=r2}, and no other node that holds a copy of the dataset is registered";
    Migration m = ferry.api.store.get(Kind.MIGRATION, "ux-move").join().orElseThrow();
    ferry.api.store.updateStatus(m.withStatus(MigrationStatus.EMPTY.withPhase(MigrationPhase.Failed, message, java.time.Instant.now()))).join();

    CliFixture.Run describe = ferry.run("describe", "migration", "ux-move");
    CliFixture.Run yaml = ferry.run("get", "migration", "ux-move", "-o", "yaml");

    assertThat(describe.exit()).as(describe.err()).isZero();
    // Quoted (it holds ": "), but whole: no "\" line continuations.
    assertThat(describe.out().lines()).anyMatch(l -> l.equals("  message: \"" + message + "\""));
    assertThat(yaml.out().lines()).anyMatch(l -> l.equals("  message: \"" + message + "\""));
  }

  @Test
  void clientAndServerReportTheBuildsVersion() {
    CliFixture.Run version = ferry.run("version");
    CliFixture.Run flag = ferry.run("--version");

    assertThat(version.exit()).as(version.err()).isZero();
    String client = version.out().lines().filter(l -> l.startsWith("Client Version: ")).findFirst().orElseThrow()
        .substring("Client Version: ".length());
    assertThat(client).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(version.out()).isEqualTo("Client Version: " + client + "\nServer Version: " + client + "\n");
    assertThat(flag.out()).isEqualTo("ferryctl " + client + "\n");
  }

  @Test
  void anUnknownFieldSaysWhichFieldWasMeant() throws Exception {
    String manifest = app("ux-typo", "{}", "ssd").replace("mountPath", "mountpath").replace("instances: 1", "instances: 1, cpu: 1");

    CliFixture.Run apply = ferry.run("apply", "-f", write("ux/typo.yaml", manifest).toString());

    assertThat(apply.exit()).isEqualTo(1);
    assertThat(apply.err()).contains("spec.dataset.mountpath: unknown field: did you mean 'mountPath'?")
        .contains("spec.app.cpu: unknown field: did you mean 'cpus'?");
  }
}
