package dev.ferry.devcluster.marathon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.devcluster.apps.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An error answer with Marathon's status and body ({@code MarathonExceptionMapper}). */
public final class ApiError extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final int status;
  private final transient ObjectNode body;

  private ApiError(int status, ObjectNode body) {
    super(body.path("message").asText());
    this.status = status;
    this.body = body;
  }

  public static ApiError of(int status, String message) {
    return new ApiError(status, F.objectNode().put("message", message));
  }

  public static ApiError notFound(String message) {
    return of(404, message);
  }

  /** 400 for a body that is not JSON at all; {@code details} is Jackson's message, a string. */
  public static ApiError malformed(String details) {
    return new ApiError(400, F.objectNode().put("message", "Invalid JSON").put("details", details));
  }

  /** 400 for an empty body. */
  public static ApiError noData(String details) {
    return new ApiError(400, F.objectNode().put("message", "Please specify data in JSON format").put("details", details));
  }

  /** 422 "Invalid JSON": well-formed JSON of the wrong type. */
  public static ApiError invalidJson(List<Violation> violations) {
    return withDetails("Invalid JSON", violations);
  }

  /** 422 "Object is not valid": failed validation, violations grouped by path. */
  public static ApiError notValid(List<Violation> violations) {
    return withDetails("Object is not valid", violations);
  }

  private static ApiError withDetails(String message, List<Violation> violations) {
    Map<String, ArrayNode> byPath = new LinkedHashMap<>();
    violations.forEach(v -> byPath.computeIfAbsent(v.path(), p -> F.arrayNode()).add(v.message()));
    ObjectNode body = F.objectNode().put("message", message);
    ArrayNode details = body.putArray("details");
    byPath.forEach((path, errors) -> details.addObject().put("path", path).set("errors", errors));
    return new ApiError(422, body);
  }

  /** 409 for a change a deployment holds, listing the deployments. */
  public static ApiError locked(String message, List<String> deploymentIds) {
    ObjectNode body = F.objectNode().put("message", message);
    ArrayNode deployments = body.putArray("deployments");
    deploymentIds.forEach(id -> deployments.addObject().put("id", id));
    return new ApiError(409, body);
  }

  public int status() {
    return status;
  }

  public ObjectNode body() {
    return body;
  }
}
