package dev.ferry.devcluster.tasks;

import dev.ferry.devcluster.apps.AppId;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Task ids in Marathon's form, {@code <app safe name>.instance-<uuid>._app.1}, and the parse
 * that {@code POST /v2/tasks/delete} applies (older {@code app.<uuid>} forms are accepted).
 */
public final class TaskIds {

  private static final Pattern INSTANCE = Pattern.compile("^(.+)\\.(instance-|marathon-)([^.]+)(\\._app\\.\\d+)?$");
  private static final Pattern LEGACY = Pattern.compile("^(.+)[._]([a-f0-9-]{36})$");

  private TaskIds() {}

  public static String newId(AppId app) {
    return app.safeName() + ".instance-" + UUID.randomUUID() + "._app.1";
  }

  /** The app's safe name that {@code taskId} belongs to, or empty if it does not parse as a task id. */
  public static Optional<String> safeAppName(String taskId) {
    Matcher m = INSTANCE.matcher(taskId);
    if (m.matches()) {
      return Optional.of(m.group(1));
    }
    Matcher legacy = LEGACY.matcher(taskId);
    return legacy.matches() ? Optional.of(legacy.group(1)) : Optional.empty();
  }
}
