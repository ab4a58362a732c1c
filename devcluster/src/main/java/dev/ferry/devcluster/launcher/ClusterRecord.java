package dev.ferry.devcluster.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.api.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cluster.json}: what {@code up} started, so that {@code status} can show it and
 * {@code down} can stop it even when the supervisor is gone. A pool is recorded just before it
 * is created and a process as soon as it is started, so a crash in between leaks nothing that
 * {@code down} would not find.
 *
 * @param phase STARTING, READY, FAILED, STOPPING or STOPPED
 * @param message why it FAILED; empty otherwise
 */
public record ClusterRecord(String phase, String message, long supervisorPid, Instant startedAt,
    String stateDir, List<Component> components, List<Node> nodes, List<String> pools,
    String context, String ferryctlConfig, boolean contextWritten) {

  /**
   * A process of the cluster.
   *
   * @param pid 0 when it was not started ({@code state} says why)
   * @param state {@code started}, {@code ready}, {@code exited}, {@code stopped} or {@code not built}
   */
  public record Component(String name, long pid, String address, String url, String log, String state) {}

  /** A node: its address, attributes, pool and where its datasets are mounted. */
  public record Node(String name, String address, Map<String, String> attributes, String pool, String datasetRoot) {}

  public ClusterRecord {
    components = List.copyOf(components);
    nodes = List.copyOf(nodes);
    pools = List.copyOf(pools);
  }

  ClusterRecord withPhase(String phase, String message) {
    return new ClusterRecord(phase, message, supervisorPid, startedAt, stateDir, components, nodes, pools,
        context, ferryctlConfig, contextWritten);
  }

  ClusterRecord withComponent(Component component) {
    List<Component> updated = new ArrayList<>();
    boolean replaced = false;
    for (Component c : components) {
      if (c.name().equals(component.name())) {
        updated.add(component);
        replaced = true;
      } else {
        updated.add(c);
      }
    }
    if (!replaced) {
      updated.add(component);
    }
    return new ClusterRecord(phase, message, supervisorPid, startedAt, stateDir, updated, nodes, pools,
        context, ferryctlConfig, contextWritten);
  }

  ClusterRecord withPool(String pool) {
    List<String> updated = new ArrayList<>(pools);
    updated.add(pool);
    return new ClusterRecord(phase, message, supervisorPid, startedAt, stateDir, components, nodes, updated,
        context, ferryctlConfig, contextWritten);
  }

  ClusterRecord withContextWritten() {
    return new ClusterRecord(phase, message, supervisorPid, startedAt, stateDir, components, nodes, pools,
        context, ferryctlConfig, true);
  }

  /** Reads {@code cluster.json}; empty if there is none (nothing is up, or it was never started). */
  public static Optional<ClusterRecord> read(StateDir dir) {
    Path file = dir.clusterFile();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.json().readValue(file.toFile(), ClusterRecord.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " (delete it if it is damaged, after stopping what it lists)", e);
    }
  }

  /** Writes {@code cluster.json} atomically, so readers never see half a file. */
  public void write(StateDir dir) {
    try {
      Files.createDirectories(dir.root());
      Path tmp = dir.root().resolve("cluster.json.tmp");
      Files.writeString(tmp, Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(this));
      Files.move(tmp, dir.clusterFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write cluster.json", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.clusterFile(), e);
    }
  }
}
