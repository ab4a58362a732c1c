package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The API server refused a request; {@link #getMessage} reads as kubectl's
 * {@code Error from server (Invalid): ...}, with one line per field that is wrong.
 */
public final class ApiException extends CliException {

  private final int status;

  ApiException(int status, JsonNode body) {
    super(format(status, body));
    this.status = status;
  }

  /** The HTTP status the server answered. */
  int status() {
    return status;
  }

  private static String format(int status, JsonNode body) {
    StringBuilder text = new StringBuilder("Error from server (")
        .append(body.path("reason").asText("HTTP " + status)).append("): ")
        .append(body.path("message").asText("status " + status).lines().findFirst().orElse(""));
    for (JsonNode detail : body.path("details")) {
      String field = detail.path("field").asText("");
      text.append("\n  ").append(field.isEmpty() ? "" : field + ": ").append(detail.path("message").asText());
    }
    return text.toString();
  }
}
