package dev.ferry.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.e2e.demo.DemoCluster.MigrationResult;
import dev.ferry.e2e.demo.DemoCluster.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL moves with its data: pgbench's tables, filled and then updated by pgbench's
 * transactions, have the same row counts and the same checksum on the SSD node as they had on
 * the spinning-disk node.
 */
class PostgresMoveIT {

  /** Row counts of pgbench's four tables and an md5 over every account, in key order. */
  private static final String FINGERPRINT = """
      select (select count(*) from pgbench_branches) || ' ' || (select count(*) from pgbench_tellers)
        || ' ' || (select count(*) from pgbench_accounts) || ' ' || (select count(*) from pgbench_history)
        || ' ' || (select md5(string_agg(aid || ':' || bid || ':' || abalance, ',' order by aid)) from pgbench_accounts)""";

  private Path out;
  private DemoCluster cluster;

  @BeforeEach
  void start() throws IOException {
    out = TestOutput.directory("PostgresMoveIT");
    cluster = DemoCluster.up(out);
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void pgbenchDataHasTheSameRowsAndChecksumAfterTheMove() throws IOException {
    cluster.apply(DemoCluster.manifest("postgres/db.yaml"));
    String before = cluster.awaitTask("/pg", Duration.ofMinutes(3), this::answers);
    assertThat(before).startsWith("127.0.1.1:");

    succeeds(pg("pgbench", before, "-i", "-s", "2", "-q"));
    succeeds(pg("pgbench", before, "-c", "2", "-t", "200", "-n"));
    String fingerprint = fingerprint(before);
    assertThat(fingerprint).startsWith("2 20 200000 400 ");

    cluster.apply(cluster.manifest("postgres/db.yaml", "[disk, LIKE, spinning]", "[disk, LIKE, ssd]"));
    MigrationResult migration = cluster.awaitMigration("pg", "node2", Duration.ofMinutes(4));
    assertThat(migration.phase()).as(migration.toString()).isEqualTo("Succeeded");
    String after = cluster.awaitTask("/pg", Duration.ofMinutes(2), this::answers);

    assertThat(after).startsWith("127.0.1.2:");
    assertThat(fingerprint(after)).isEqualTo(fingerprint);
  }

  private boolean answers(String address) {
    return pg("psql", address, "-At", "-c", "select 1").exit() == 0;
  }

  private String fingerprint(String address) {
    Result result = succeeds(pg("psql", address, "-At", "-c", FINGERPRINT));
    return result.output().strip();
  }

  private static Result succeeds(Result result) {
    assertThat(result.exit()).as(result.output()).isZero();
    return result;
  }

  /** Runs a PostgreSQL client program against HOST:PORT as the user postgres, database postgres. */
  private Result pg(String program, String address, String... args) {
    int colon = address.lastIndexOf(':');
    List<String> command = new ArrayList<>(List.of(clientBinary(program).toString(), "-h", address.substring(0, colon),
        "-p", address.substring(colon + 1), "-U", "postgres"));
    command.addAll(List.of(args));
    command.add("postgres");
    return cluster.run(program, command);
  }

  /** 15 for /usr/lib/postgresql/15/bin/psql; 9.6 for 9.6: compared as numbers, not text. */
  private static double version(Path binary) {
    String name = binary.getParent().getParent().getFileName().toString();
    return name.matches("\\d+(\\.\\d+)?") ? Double.parseDouble(name) : 0;
  }

  /** The newest installed version's client program (pgbench is not on the PATH on Debian). */
  private static Path clientBinary(String program) {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(v -> v.resolve("bin").resolve(program)).filter(Files::isExecutable)
          .max(Comparator.comparingDouble(PostgresMoveIT::version))
          .orElseThrow(() -> new IllegalStateException("no " + program + " under /usr/lib/postgresql/*/bin: install postgresql"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /usr/lib/postgresql: " + e.getMessage(), e);
    }
  }
}
