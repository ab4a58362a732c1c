package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.nodes.NodeSpec;
import dev.ferry.devcluster.scheduler.Scheduler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The Mesos master's {@code GET /master/slaves} (also {@code /slaves}), NOTES.md §5.1: devcluster
 * plays the master too, and its nodes are the agents, with their attributes and resources. Only
 * the fields of {@code SlaveWriter} a scheduler reads are filled with meaning; times are the
 * master's start.
 */
final class MesosRoutes {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final double STARTED = System.currentTimeMillis() / 1000.0;
  private final Scheduler scheduler;

  MesosRoutes(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  void mount(Router router) {
    // ApiGuard.MESOS_READ_ONLY names these: Mesos serves them without authentication.
    router.get("/master/slaves").handler(this::slaves);
    router.get("/slaves").handler(this::slaves);
  }

  private void slaves(RoutingContext ctx) {
    String only = ctx.request().getParam("slave_id");
    ObjectNode body = F.objectNode();
    ArrayNode slaves = body.putArray("slaves");
    for (NodeSpec node : scheduler.nodes()) {
      String id = scheduler.agentId(node);
      if (only != null && !only.equals(id)) {
        continue;
      }
      ObjectNode slave = slaves.addObject().put("id", id).put("hostname", node.name()).put("port", 5051);
      ObjectNode attributes = slave.putObject("attributes");
      node.attributes().forEach(attributes::put);
      slave.put("pid", "slave(1)@" + node.address() + ":5051").put("registered_time", STARTED);
      resources(slave.putObject("resources"), node.cpus(), node.mem(), "[" + node.ports().first() + "-" + node.ports().last() + "]");
      for (String unused : new String[] {"used_resources", "offered_resources"}) {
        resources(slave.putObject(unused), 0, 0, null);
      }
      resources(slave.putObject("unreserved_resources"), node.cpus(), node.mem(),
          "[" + node.ports().first() + "-" + node.ports().last() + "]");
      slave.putObject("reserved_resources");
      slave.put("active", true).put("deactivated", false).put("version", "1.10.0");
      slave.putArray("capabilities").add("MULTI_ROLE").add("HIERARCHICAL_ROLE").add("RESERVATION_REFINEMENT");
    }
    body.putArray("recovered_slaves");
    Http.json(ctx, 200, body);
  }

  private static void resources(ObjectNode r, double cpus, double mem, String ports) {
    r.put("disk", 0.0).put("mem", mem).put("gpus", 0.0).put("cpus", cpus);
    if (ports != null) {
      r.put("ports", ports);
    }
  }
}
