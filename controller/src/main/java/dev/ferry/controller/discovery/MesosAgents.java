package dev.ferry.controller.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Node;
import dev.ferry.api.model.NodeSpec;
import dev.ferry.api.store.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mesos agents as the master reports them ({@code GET /master/slaves}, NOTES.md §5.1), for
 * placement: Marathon matches constraints against the attributes Mesos has, so when a Mesos
 * master is configured a node is a candidate only while its agent is registered and active, with
 * the agent's attributes over those its Ferry agent registered. Without a master (or before the
 * first answer) placement uses the Node registry as it is.
 */
public final class MesosAgents implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MesosAgents.class);

  /** One Mesos agent: its attributes as text, and whether the master counts it active. */
  public record Agent(String hostname, Map<String, String> attributes, boolean active) {}

  private final Vertx vertx;
  private final Supplier<Optional<URI>> master;
  private final WebClient client;
  private final Duration every;
  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Optional<Map<String, Agent>> agents = Optional.empty();
  private long timer = -1;

  private MesosAgents(Vertx vertx, Supplier<Optional<URI>> master, Duration every) {
    this.vertx = vertx;
    this.master = master;
    this.every = every;
    this.client = vertx == null ? null : WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000)
        .setFollowRedirects(true));
  }

  /** No Mesos master configured: placement uses the Node registry alone. */
  public static MesosAgents none() {
    return new MesosAgents(null, Optional::empty, Duration.ZERO);
  }

  /** Polls the master {@code master} names (the leader, when found through ZooKeeper) {@code every} so often. */
  public static MesosAgents polling(Vertx vertx, Supplier<Optional<URI>> master, Duration every) {
    return new MesosAgents(vertx, master, every);
  }

  public MesosAgents start() {
    if (client != null) {
      refresh();
      timer = vertx.setPeriodic(every.toMillis(), t -> refresh());
    }
    return this;
  }

  /** Runs {@code listener} whenever what the master says about the agents changes, until closed. */
  public Subscription onChange(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Asks the master now; completes with the agents by hostname, or fails saying why. */
  public Future<Map<String, Agent>> refresh() {
    Optional<URI> base = master.get();
    if (client == null || base.isEmpty()) {
      return Future.failedFuture("no Mesos master known");
    }
    URI uri = base.get();
    return client.getAbs(Urls.under(uri, "/master/slaves"))
        .putHeader("Accept", "application/json").send()
        .compose(r -> r.statusCode() == 200 ? Future.succeededFuture(r.bodyAsString())
            : Future.failedFuture("the Mesos master at " + uri + " answered " + r.statusCode()))
        .map(MesosAgents::parse)
        .onSuccess(this::update)
        .onFailure(e -> LOG.warn("cannot read the Mesos agents from {}: {}; placement keeps what it last knew",
            uri, e.getMessage()));
  }

  private void update(Map<String, Agent> now) {
    if (!agents.equals(Optional.of(now))) {
      agents = Optional.of(now);
      LOG.info("Mesos reports {} agents ({} active)", now.size(), now.values().stream().filter(Agent::active).count());
      listeners.forEach(Runnable::run);
    }
  }

  /** The agents in a {@code /master/slaves} answer, by hostname. */
  static Map<String, Agent> parse(String body) {
    JsonNode root;
    try {
      root = Json.json().readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the Mesos master's /master/slaves is not JSON: " + e.getMessage(), e);
    }
    Map<String, Agent> found = new LinkedHashMap<>();
    for (JsonNode slave : root.path("slaves")) {
      Map<String, String> attributes = new HashMap<>();
      // Text attributes are strings, scalars numbers, ranges and sets strings such as "[1-5]".
      slave.path("attributes").fields().forEachRemaining(a -> attributes.put(a.getKey(), a.getValue().asText()));
      String hostname = slave.path("hostname").asText("");
      if (!hostname.isEmpty()) {
        found.put(hostname, new Agent(hostname, attributes, slave.path("active").asBoolean(true)));
      }
    }
    return found;
  }

  /**
   * The nodes placement may choose from: with agents known, each registered node whose agent is
   * active, carrying the agent's attributes over its own; else {@code registered} as it is.
   */
  public List<Node> schedulable(List<Node> registered) {
    return agents.map(known -> schedulable(registered, known)).orElse(registered);
  }

  static List<Node> schedulable(List<Node> registered, Map<String, Agent> agents) {
    return registered.stream().flatMap(n -> Optional.ofNullable(agents.get(n.spec().hostnameOr(n.name())))
        .filter(Agent::active).map(agent -> {
          NodeSpec s = n.spec();
          Map<String, String> attributes = new HashMap<>(s.attributes());
          attributes.putAll(agent.attributes());
          return n.withSpec(new NodeSpec(s.hostname(), s.address(), s.transferPort(), attributes, s.pool(),
              s.datasetRoot(), s.agentVersion()));
        }).stream()).toList();
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (client != null) {
      client.close();
    }
  }
}
