package dev.ferry.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.LabelSelector;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.ReclaimPolicy;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.testing.EtcdExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The copy reports against a real etcd, each write seen in etcd's own revision. */
class CopyReporterTest {

  private static final long MIB = 1 << 20;
  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  private static EtcdStore store;

  @BeforeAll
  static void connect() {
    store = EtcdStore.connect(ETCD.config());
  }

  @AfterAll
  static void disconnect() {
    store.close();
  }

  @AfterEach
  void deleteDatasets() {
    store.list(Kind.DATASET, LabelSelector.EVERYTHING).join().items()
        .forEach(d -> store.delete(Kind.DATASET, d.name(), 0).join());
  }

  @Test
  void anUnchangedOrSlightlyChangedCopyWritesNothingAndAGrownOneIsWrittenOnceTheIntervalPassed() {
    store.create(new Dataset(ObjectMeta.named("db"), new DatasetSpec(Quantity.mebibytes(64), "node1", "",
        ReclaimPolicy.Retain))).join();
    UsageThreshold usage = new UsageThreshold(MIB, Duration.ofSeconds(60));

    assertThat(reporter(T0, usage).report("db", copy(10 * MIB, T0))).isTrue();
    long written = revision();

    // The same copy looked at again, a few kilobytes more, even 5 MiB more but too soon: no write.
    assertThat(reporter(T0.plusSeconds(30), usage).report("db", copy(10 * MIB, T0.plusSeconds(30)))).isFalse();
    assertThat(reporter(T0.plusSeconds(90), usage).report("db", copy(10 * MIB + 4096, T0.plusSeconds(90)))).isFalse();
    assertThat(reporter(T0.plusSeconds(59), usage).report("db", copy(15 * MIB, T0.plusSeconds(59)))).isFalse();
    assertThat(revision()).isEqualTo(written);
    assertThat(reported().usedBytes()).isEqualTo(10 * MIB);

    // Grown past the threshold and the interval since the last report: written.
    assertThat(reporter(T0.plusSeconds(60), usage).report("db", copy(15 * MIB, T0.plusSeconds(60)))).isTrue();
    assertThat(revision()).isEqualTo(written + 1);
    assertThat(reported().usedBytes()).isEqualTo(15 * MIB);

    // A change of state (a new snapshot) is written at once, however small the space change.
    DatasetCopy snapshotted = new DatasetCopy(List.of(new Snapshot("s1", "123", T0)), 15 * MIB, 40 * MIB, true, false,
        T0.plusSeconds(61));
    assertThat(reporter(T0.plusSeconds(61), usage).report("db", new CopyReport(Optional.of(snapshotted), List.of(), "")))
        .isTrue();
    assertThat(revision()).isEqualTo(written + 2);
  }

  private static CopyReporter reporter(Instant now, UsageThreshold usage) {
    return new CopyReporter(store, "node1", Clock.fixed(now, ZoneOffset.UTC), usage);
  }

  private static CopyReport copy(long used, Instant at) {
    return new CopyReport(Optional.of(new DatasetCopy(List.of(), used, 64 * MIB - used, true, false, at)), List.of(), "");
  }

  private static DatasetCopy reported() {
    return store.get(Kind.DATASET, "db").join().orElseThrow().status().copies().get("node1");
  }

  /** etcd's revision: it grows with every write to any key. */
  private static long revision() {
    return store.list(Kind.NODE, LabelSelector.EVERYTHING).join().revision();
  }
}
