package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * What a user asks for: the Marathon app (as Marathon's JSON, minus what Ferry owns), the
 * dataset it uses, where it may run and how it moves.
 *
 * @param app a Marathon app definition; Ferry adds the node pin, the volume, the upgrade
 *     strategy and its labels when it writes the app to Marathon
 * @param dataset the app's data, or null for an app without data
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatefulAppSpec(
    ObjectNode app, DatasetRef dataset, Placement placement, MigrationPolicy migration) {

  public StatefulAppSpec {
    app = app == null ? JsonNodeFactory.instance.objectNode() : app.deepCopy();
    placement = placement == null ? Placement.ANYWHERE : placement;
    migration = migration == null ? MigrationPolicy.DEFAULT : migration;
  }

  public Optional<DatasetRef> datasetRef() {
    return Optional.ofNullable(dataset);
  }

  /** The app definition, a copy: the spec itself stays unchanged. */
  @Override
  public ObjectNode app() {
    return app.deepCopy();
  }
}
