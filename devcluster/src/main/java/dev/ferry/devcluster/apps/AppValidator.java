package dev.ferry.devcluster.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Marathon's semantic checks of a normalised app ({@code AppValidation}, {@code
 * SchedulingValidation}), with its messages where its code or tests show them. A non-empty
 * result is answered with 422 "Object is not valid".
 */
public final class AppValidator {

  private static final Set<String> PROTOCOLS =
      Set.of("HTTP", "HTTPS", "TCP", "COMMAND", "MESOS_TCP", "MESOS_HTTP", "MESOS_HTTPS");
  private static final Pattern IS_VALUE = Pattern.compile("^[a-zA-Z0-9_/.-]*$");

  private AppValidator() {}

  public static List<Violation> validate(ObjectNode app) {
    List<Violation> errors = new ArrayList<>();
    AppId.of(app.path("id").asText()).violation().ifPresent(m -> errors.add(Violation.at("/id", m)));
    boolean hasCmd = app.hasNonNull("cmd");
    boolean hasArgs = app.path("args").size() > 0;
    if (!hasCmd && !hasArgs && !app.has("container")) {
      errors.add(Violation.at("/", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."));
    }
    if (hasCmd && hasArgs) {
      // The RAML: "It is invalid to supply both cmd and args in the same app"; the schema agrees.
      errors.add(Violation.at("/", "AppDefinition must not contain both 'cmd' and 'args'."));
    }
    if (hasCmd && app.get("cmd").asText().isEmpty()) {
      errors.add(Violation.at("/cmd", "must not be empty"));
    }
    minimum(app, "cpus", 0.001, errors);
    minimum(app, "mem", 0, errors);
    minimum(app, "disk", 0, errors);
    minimum(app, "instances", 0, errors);
    between(app.path("upgradeStrategy"), "/upgradeStrategy", "minimumHealthCapacity", errors);
    between(app.path("upgradeStrategy"), "/upgradeStrategy", "maximumOverCapacity", errors);
    unreachableStrategy(app.path("unreachableStrategy"), errors);
    JsonNode constraints = app.path("constraints");
    for (int i = 0; i < constraints.size(); i++) {
      constraint(constraints.get(i), "/constraints(" + i + ")", errors);
    }
    JsonNode checks = app.path("healthChecks");
    for (int i = 0; i < checks.size(); i++) {
      String protocol = checks.get(i).path("protocol").asText();
      if (!PROTOCOLS.contains(protocol)) {
        errors.add(Violation.at("/healthChecks(" + i + ")/protocol", "is not one of " + PROTOCOLS));
      }
      if (protocol.equals("COMMAND") && !checks.get(i).path("command").path("value").isTextual()) {
        errors.add(Violation.at("/healthChecks(" + i + ")/command", "is required for a COMMAND health check"));
      }
    }
    return errors;
  }

  /** {@code "disabled"}, or {@code {inactiveAfterSeconds, expungeAfterSeconds}} with 0 <= inactive <= expunge. */
  private static void unreachableStrategy(JsonNode u, List<Violation> errors) {
    if (u.isTextual() && !u.asText().equals("disabled")) {
      errors.add(Violation.at("/unreachableStrategy", "got '" + u.asText()
          + "', expected \"disabled\" or {inactiveAfterSeconds, expungeAfterSeconds}"));
    }
    if (!u.isObject()) {
      return;
    }
    minimum(u, "inactiveAfterSeconds", 0, errors, "/unreachableStrategy/");
    minimum(u, "expungeAfterSeconds", 0, errors, "/unreachableStrategy/");
    long inactive = u.path("inactiveAfterSeconds").asLong(0);
    long expunge = u.path("expungeAfterSeconds").asLong(0);
    if (inactive > expunge) {
      errors.add(Violation.at("/unreachableStrategy/inactiveAfterSeconds", "got " + inactive + ", expected "
          + expunge + " or less (expungeAfterSeconds)"));
    }
  }

  private static void constraint(JsonNode c, String path, List<Violation> errors) {
    if (c.size() < 2 || c.size() > 3) {
      errors.add(Violation.at(path, "Each constraint must have either 2 or 3 fields"));
      return;
    }
    String op = c.get(1).asText().toUpperCase(java.util.Locale.ROOT);
    String value = c.size() == 3 ? c.get(2).asText() : "";
    String problem = switch (op) {
      case "UNIQUE" -> value.isEmpty() ? "" : "UNIQUE does not accept a value";
      case "CLUSTER" -> "";
      case "GROUP_BY" -> value.isEmpty() || value.matches("\\d+") ? ""
          : "GROUP BY must define an integer value or else no value at all";
      case "MAX_PER" -> value.matches("\\d+") ? "" : "MAX_PER requires an integer value";
      case "LIKE", "UNLIKE" -> regexProblem(value);
      case "IS" -> IS_VALUE.matcher(value).matches() ? "" : "IS only supports Mesos text and float values";
      default -> "Constraint operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER, UNLIKE or IS";
    };
    if (!problem.isEmpty()) {
      errors.add(Violation.at(path, problem));
    }
  }

  private static String regexProblem(String value) {
    if (value.isEmpty()) {
      return "LIKE and UNLIKE require a non-empty, regular expression value";
    }
    try {
      Pattern.compile(value);
      return "";
    } catch (PatternSyntaxException e) {
      return "'" + value + "' is not a valid regular expression";
    }
  }

  private static void minimum(JsonNode app, String field, double min, List<Violation> errors) {
    minimum(app, field, min, errors, "/");
  }

  private static void minimum(JsonNode node, String field, double min, List<Violation> errors, String at) {
    double v = node.path(field).asDouble(min);
    if (v < min) {
      errors.add(Violation.at(at + field, "got " + v + ", expected " + min + " or more"));
    }
  }

  private static void between(JsonNode node, String path, String field, List<Violation> errors) {
    double v = node.path(field).asDouble(0);
    if (v < 0 || v > 1) {
      errors.add(Violation.at(path + "/" + field, "got " + v + ", expected between 0.0 and 1.0"));
    }
  }
}
