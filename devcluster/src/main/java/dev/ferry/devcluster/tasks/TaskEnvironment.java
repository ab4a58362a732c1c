package dev.ferry.devcluster.tasks;

import dev.ferry.devcluster.apps.AppDefinition;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The environment Mesos and Marathon give a task, under the app's own {@code env}. */
public final class TaskEnvironment {

  private TaskEnvironment() {}

  public static Map<String, String> of(AppDefinition app, Task task, Path sandbox) {
    Map<String, String> env = new LinkedHashMap<>(app.env());
    env.put("HOST", task.host());
    List<Integer> ports = task.ports();
    List<String> names = app.portNames();
    for (int i = 0; i < ports.size(); i++) {
      env.put("PORT" + i, ports.get(i).toString());
      if (i < names.size() && !names.get(i).isEmpty()) {
        env.put("PORT_" + names.get(i).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_"), ports.get(i).toString());
      }
    }
    if (!ports.isEmpty()) {
      env.put("PORT", ports.get(0).toString());
      env.put("PORTS", ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    env.put("MESOS_TASK_ID", task.id());
    env.put("MESOS_SANDBOX", sandbox.toString());
    env.put("MESOS_DIRECTORY", sandbox.toString());
    env.put("MARATHON_APP_ID", app.id().path());
    env.put("MARATHON_APP_VERSION", app.version());
    env.put("MARATHON_APP_RESOURCE_CPUS", Double.toString(app.cpus()));
    env.put("MARATHON_APP_RESOURCE_MEM", Double.toString(app.mem()));
    app.json().path("labels").properties().forEach(l ->
        env.put("MARATHON_APP_LABEL_" + l.getKey().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_"),
            l.getValue().asText()));
    return env;
  }
}
