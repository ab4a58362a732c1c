package dev.ferry.devcluster.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.apps.AppDefinition;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Assigns service ports to port definitions left at 0, from Marathon's default range
 * 10000-20000, keeping an updated app's earlier assignments.
 */
final class ServicePorts {

  static final int FIRST = 10000;
  static final int LAST = 20000;

  private ServicePorts() {}

  static void assign(ObjectNode app, Optional<AppDefinition> previous, Collection<AppDefinition> others) {
    if (app.path("requirePorts").asBoolean(false)) {
      return;
    }
    Set<Integer> used = new HashSet<>();
    others.forEach(o -> used.addAll(o.servicePorts()));
    List<Integer> before = previous.map(AppDefinition::servicePorts).orElse(List.of());
    JsonNode defs = app.path("portDefinitions");
    int next = FIRST;
    for (int i = 0; i < defs.size(); i++) {
      ObjectNode def = (ObjectNode) defs.get(i);
      if (def.path("port").asInt() != 0) {
        continue;
      }
      int kept = i < before.size() ? before.get(i) : 0;
      if (kept != 0) {
        def.put("port", kept);
        continue;
      }
      while (used.contains(next) && next < LAST) {
        next++;
      }
      def.put("port", next);
      used.add(next);
    }
  }
}
