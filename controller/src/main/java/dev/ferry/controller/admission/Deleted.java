package dev.ferry.controller.admission;

import dev.ferry.api.model.FerryObject;

/** The result of one delete: what happened and the object's last (or marked) state. */
public record Deleted(DeleteOutcome outcome, FerryObject<?, ?, ?> object, boolean dryRun) {

  public static Deleted deleted(FerryObject<?, ?, ?> object, boolean dryRun) {
    return new Deleted(DeleteOutcome.DELETED, object, dryRun);
  }

  public static Deleted deleting(FerryObject<?, ?, ?> object, boolean dryRun) {
    return new Deleted(DeleteOutcome.DELETING, object, dryRun);
  }
}
