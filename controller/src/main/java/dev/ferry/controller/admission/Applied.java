package dev.ferry.controller.admission;

import dev.ferry.api.model.FerryObject;

/**
 * The result of one apply: what happened and the object as stored (or, in a dry run, as it
 * would have been stored).
 */
public record Applied(ApplyOutcome outcome, FerryObject<?, ?, ?> object, boolean dryRun) {

  public static Applied created(FerryObject<?, ?, ?> object, boolean dryRun) {
    return new Applied(ApplyOutcome.CREATED, object, dryRun);
  }

  public static Applied configured(FerryObject<?, ?, ?> object, boolean dryRun) {
    return new Applied(ApplyOutcome.CONFIGURED, object, dryRun);
  }

  public static Applied unchanged(FerryObject<?, ?, ?> object, boolean dryRun) {
    return new Applied(ApplyOutcome.UNCHANGED, object, dryRun);
  }
}
