package dev.ferry.controller.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows who leads Marathon or the Mesos masters, from their elections in ZooKeeper
 * (NOTES.md §5.3): Marathon's Curator {@code LeaderLatch} under {@code <path>/leader-curator},
 * whose members' data is {@code host:port}; Mesos's {@code json.info_} members under
 * {@code <path>}, whose data is the master's {@code MasterInfo} as JSON. Read-only: it never
 * joins an election. It uses the caller's ZooKeeper client, which the caller starts and closes.
 */
public final class LeaderFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderFollower.class);

  private final String what;
  private final ZkUrl zk;
  private final String electionPath;
  private final String marker;
  private final Function<byte[], Optional<URI>> address;
  private final CuratorCache cache;
  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Optional<URI> leader = Optional.empty();

  private LeaderFollower(CuratorFramework curator, String what, ZkUrl zk, String electionPath, String marker,
      Function<byte[], Optional<URI>> address) {
    this.what = what;
    this.zk = zk;
    this.electionPath = electionPath;
    this.marker = marker;
    this.address = address;
    this.cache = CuratorCache.build(curator, electionPath);
    cache.listenable().addListener(CuratorCacheListener.builder().forAll((type, before, after) -> recompute())
        .forInitialized(this::recompute).build());
  }

  /**
   * Marathon's leader, from {@code zk://.../marathon} (Marathon's {@code --zk}).
   *
   * @param curator a client of {@code zk}'s ensemble
   */
  public static LeaderFollower marathon(CuratorFramework curator, ZkUrl zk) {
    return new LeaderFollower(curator, "Marathon", zk, ZKPaths.makePath(zk.path(), "leader-curator"), "latch-",
        LeaderFollower::hostPort);
  }

  /**
   * The leading Mesos master, from {@code zk://.../mesos} (the masters' {@code --zk}).
   *
   * @param curator a client of {@code zk}'s ensemble
   */
  public static LeaderFollower mesos(CuratorFramework curator, ZkUrl zk) {
    return new LeaderFollower(curator, "the Mesos master", zk, zk.path(), "json.info_", LeaderFollower::masterInfo);
  }

  public LeaderFollower start() {
    cache.start();
    return this;
  }

  /** The leader's base URL, once ZooKeeper has named one. */
  public Optional<URI> leader() {
    return leader;
  }

  /** Runs {@code listener} whenever the leader changes. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  private synchronized void recompute() {
    Map<String, byte[]> members = new HashMap<>();
    cache.stream().filter(d -> !d.getPath().equals(electionPath)
            && ZKPaths.getPathAndNode(d.getPath()).getPath().equals(electionPath))
        .forEach((ChildData d) -> members.put(ZKPaths.getNodeFromPath(d.getPath()), d.getData() == null ? new byte[0] : d.getData()));
    Optional<URI> now = LeaderElection.leader(members, marker).flatMap(address);
    if (!now.equals(leader)) {
      leader = now;
      LOG.info("{} leader per {}: {}", what, zk, now.map(URI::toString).orElse("none"));
      listeners.forEach(Runnable::run);
    }
  }

  /** A LeaderLatch participant id as Marathon sets it: {@code host:port}. */
  static Optional<URI> hostPort(byte[] data) {
    String id = new String(data, StandardCharsets.UTF_8).strip();
    return id.matches("[^\\s/:]+:\\d{1,5}") ? Optional.of(URI.create("http://" + id)) : Optional.empty();
  }

  /** A master's {@code MasterInfo} JSON: its {@code address} (or top-level hostname and port). */
  static Optional<URI> masterInfo(byte[] data) {
    try {
      JsonNode info = Json.json().readTree(data);
      JsonNode address = info.path("address");
      String host = address.path("hostname").asText(address.path("ip").asText(info.path("hostname").asText("")));
      int port = address.path("port").asInt(info.path("port").asInt(0));
      return host.isEmpty() || port <= 0 ? Optional.empty() : Optional.of(URI.create("http://" + host + ":" + port));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    cache.close();
  }
}
