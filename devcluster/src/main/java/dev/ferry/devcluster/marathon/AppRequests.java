package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.apps.AppDefinition;
import dev.ferry.devcluster.apps.AppId;
import dev.ferry.devcluster.apps.AppNormalizer;
import dev.ferry.devcluster.apps.AppValidator;
import dev.ferry.devcluster.apps.JsonTypeCheck;
import dev.ferry.devcluster.apps.Violation;
import java.util.List;
import java.util.Optional;

/**
 * Turns a posted app (or a partial update of one) into the definition to store: type checks
 * (422 "Invalid JSON"), the merge of a partial update, normalisation, then validation (422
 * "Object is not valid").
 */
final class AppRequests {

  private AppRequests() {}

  /** The type errors of a body, thrown as 422 "Invalid JSON". */
  static void typeCheck(ObjectNode body) {
    List<Violation> typeErrors = JsonTypeCheck.check(body);
    if (!typeErrors.isEmpty()) {
      throw ApiError.invalidJson(typeErrors);
    }
  }

  /**
   * The app to store for {@code body} under {@code id}: merged field by field onto
   * {@code existing} when given (a partial update), else taken whole.
   */
  static ObjectNode prepare(ObjectNode body, AppId id, Optional<AppDefinition> existing) {
    typeCheck(body);
    ObjectNode merged = existing.map(AppDefinition::json).map(e -> {
      // Derived fields of the stored app are recomputed, not merged.
      e.remove(List.of("version", "versionInfo"));
      e.setAll(body);
      return e;
    }).orElse(body.deepCopy());
    // A version in the body asks for a rollback, which needs a version history devcluster does not keep.
    merged.remove("version");
    ObjectNode normalized = AppNormalizer.normalize(merged, id);
    List<Violation> violations = AppValidator.validate(normalized);
    if (!violations.isEmpty()) {
      throw ApiError.notValid(violations);
    }
    return normalized;
  }

  /** The id a body names (relative ids made absolute), or {@code fallback}'s. */
  static AppId idOf(ObjectNode body) {
    return AppId.of(body.path("id").asText(""));
  }
}
