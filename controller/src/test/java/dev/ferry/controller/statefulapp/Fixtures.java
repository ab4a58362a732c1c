package dev.ferry.controller.statefulapp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.model.Dataset;
import dev.ferry.api.model.DatasetCopy;
import dev.ferry.api.model.DatasetSpec;
import dev.ferry.api.model.DatasetStatus;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.NodeSpec;
import dev.ferry.api.model.NodeStatus;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.Quantity;
import dev.ferry.api.model.ReclaimPolicy;
import dev.ferry.api.model.Snapshot;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.Kind;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Objects for planner tables, written the way users and agents would write them. */
final class Fixtures {

  static final long GIB = 1L << 30;

  private Fixtures() {}

  /** The demo's database: 1Gi of data, placed by {@code disk}. */
  static StatefulApp redis(String disk) {
    return redis(disk, ReclaimPolicy.Retain);
  }

  static StatefulApp redis(String disk, ReclaimPolicy reclaim) {
    StatefulApp app = Manifests.readOne("""
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: todos-db}
        spec:
          app: {cmd: redis-server, instances: 1, mem: 256}
          dataset: {name: todos-data, size: 1Gi, reclaimPolicy: %s}
          placement:
            constraints: [[disk, LIKE, %s]]
        """.formatted(reclaim, disk), Kind.STATEFUL_APP);
    return generation(withFinalizer(app), 1);
  }

  static StatefulApp deleting(StatefulApp app) {
    return app.withMetadata(app.metadata().withDeletionTimestamp(Instant.EPOCH));
  }

  static StatefulApp withFinalizer(StatefulApp app) {
    return app.withMetadata(app.metadata().withFinalizers(List.of(StatefulAppPlanner.FINALIZER)));
  }

  static StatefulApp generation(StatefulApp app, long generation) {
    ObjectMeta m = app.metadata();
    return app.withMetadata(new ObjectMeta(m.name(), m.labels(), m.annotations(), m.uid(), generation,
        m.resourceVersion(), m.creationTimestamp(), m.deletionTimestamp(), m.finalizers()));
  }

  static Node node(String name, String disk, long freeBytes) {
    return new Node(ObjectMeta.named(name),
        new NodeSpec(name, "127.0.1." + name.charAt(name.length() - 1), 0, Map.of("disk", disk), "pool-" + name,
            "/var/lib/ferry/" + name, "test"))
        .withStatus(new NodeStatus(10 * GIB, freeBytes, 1, Instant.EPOCH, List.of()));
  }

  static List<Node> seedNodes() {
    return List.of(node("node1", "spinning", 10 * GIB), node("node2", "ssd", 10 * GIB));
  }

  /** What the agent that created todos-data wrote into its marker and status.identity. */
  static final String IDENTITY = "todos-data/5e1f0c9a";

  /** The dataset with {@code primary} and a reported copy on each of {@code copies}, and its identity. */
  static Dataset dataset(String primary, String... copies) {
    Map<String, DatasetCopy> reported = Arrays.stream(copies).collect(Collectors.toMap(c -> c,
        c -> new DatasetCopy(List.of(new Snapshot("ferry-1", "42", Instant.EPOCH)), 1 << 20, GIB, c.equals(primary),
            !c.equals(primary), Instant.EPOCH)));
    return new Dataset(ObjectMeta.named("todos-data"),
        new DatasetSpec(Quantity.gibibytes(1), primary, "", ReclaimPolicy.Retain))
        .withStatus(new DatasetStatus(1, reported, List.of(), IDENTITY));
  }

  static Dataset lockedBy(Dataset d, String migration) {
    return d.withSpec(new DatasetSpec(d.spec().size(), d.spec().primary(), migration, d.spec().reclaimPolicy()));
  }

  /** What Marathon would answer for the app Ferry wrote: it adds defaults and a version. */
  static MarathonView running(ObjectNode written, boolean healthy) {
    ObjectNode observed = written.deepCopy();
    observed.put("version", "2026-11-21T10:00:00.000Z");
    observed.put("backoffSeconds", 1);
    observed.putArray("portDefinitions").addObject().put("port", 10000).put("protocol", "tcp");
    return new MarathonView(observed, List.of(new TaskView("todos-db.instance-1", "node1", "TASK_RUNNING", healthy)), false);
  }
}
