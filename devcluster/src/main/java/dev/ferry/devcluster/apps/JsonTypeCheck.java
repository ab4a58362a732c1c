package dev.ferry.devcluster.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The checks Play JSON makes while reading an app ({@code JsResultException}): a field of the
 * wrong JSON type gives {@code error.expected.js<type>} at its path, which Marathon answers with
 * 422 "Invalid JSON". Only the fields devcluster reads are checked.
 */
public final class JsonTypeCheck {

  private record Expect(String error, Predicate<JsonNode> ok) {}

  private static final Expect STRING = new Expect("error.expected.jsstring", JsonNode::isTextual);
  private static final Expect NUMBER = new Expect("error.expected.jsnumber", JsonNode::isNumber);
  private static final Expect BOOLEAN = new Expect("error.expected.jsboolean", JsonNode::isBoolean);
  private static final Expect ARRAY = new Expect("error.expected.jsarray", JsonNode::isArray);
  private static final Expect OBJECT = new Expect("error.expected.jsobject", JsonNode::isObject);
  /** {@code unreachableStrategy}: the string {@code "disabled"} or an object (NOTES.md 2.6). */
  private static final Expect STRING_OR_OBJECT = new Expect("error.expected.jsobject", n -> n.isObject() || n.isTextual());

  private static final Map<String, Expect> TOP = Map.ofEntries(
      Map.entry("id", STRING), Map.entry("cmd", STRING), Map.entry("args", ARRAY),
      Map.entry("user", STRING), Map.entry("instances", NUMBER), Map.entry("cpus", NUMBER),
      Map.entry("mem", NUMBER), Map.entry("disk", NUMBER), Map.entry("gpus", NUMBER),
      Map.entry("env", OBJECT), Map.entry("labels", OBJECT), Map.entry("constraints", ARRAY),
      Map.entry("healthChecks", ARRAY), Map.entry("container", OBJECT),
      Map.entry("portDefinitions", ARRAY), Map.entry("ports", ARRAY),
      Map.entry("upgradeStrategy", OBJECT), Map.entry("unreachableStrategy", STRING_OR_OBJECT),
      Map.entry("backoffSeconds", NUMBER),
      Map.entry("backoffFactor", NUMBER), Map.entry("maxLaunchDelaySeconds", NUMBER),
      Map.entry("taskKillGracePeriodSeconds", NUMBER), Map.entry("requirePorts", BOOLEAN),
      Map.entry("version", STRING));

  private JsonTypeCheck() {}

  /** The type errors in {@code app}, empty when every checked field has its JSON type. */
  public static List<Violation> check(ObjectNode app) {
    List<Violation> errors = new ArrayList<>();
    TOP.forEach((field, expect) -> expect(app.get(field), "/" + field, expect, errors));
    eachItem(app.get("args"), "/args", STRING, errors);
    app.path("env").properties().forEach(e -> {
      if (!e.getValue().isTextual() && !e.getValue().isObject()) {
        errors.add(Violation.at("/env/" + e.getKey(), STRING.error()));
      }
    });
    app.path("labels").properties().forEach(e -> expect(e.getValue(), "/labels/" + e.getKey(), STRING, errors));
    JsonNode constraints = app.path("constraints");
    for (int i = 0; i < constraints.size(); i++) {
      expect(constraints.get(i), "/constraints(" + i + ")", ARRAY, errors);
      eachItem(constraints.get(i), "/constraints(" + i + ")", STRING, errors);
    }
    eachItem(app.get("healthChecks"), "/healthChecks", OBJECT, errors);
    eachItem(app.get("portDefinitions"), "/portDefinitions", OBJECT, errors);
    for (String field : List.of("inactiveAfterSeconds", "expungeAfterSeconds")) {
      expect(app.path("unreachableStrategy").get(field), "/unreachableStrategy/" + field, NUMBER, errors);
    }
    errors.sort(java.util.Comparator.comparing(Violation::path));
    return errors;
  }

  private static void eachItem(JsonNode array, String path, Expect expect, List<Violation> errors) {
    if (array != null && array.isArray()) {
      for (int i = 0; i < array.size(); i++) {
        expect(array.get(i), path + "(" + i + ")", expect, errors);
      }
    }
  }

  private static void expect(JsonNode value, String path, Expect expect, List<Violation> errors) {
    if (value != null && !value.isNull() && !expect.ok().test(value)) {
      errors.add(Violation.at(path, expect.error()));
    }
  }
}
