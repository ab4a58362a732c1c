package dev.ferry.api.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector: requirements joined by commas, all of which must hold.
 *
 * <p>Syntax, as {@code kubectl -l} takes it: {@code a=b} (or {@code a==b}), {@code a!=b},
 * {@code a in (x,y)}, {@code a notin (x,y)}, {@code a} (the label exists), {@code !a} (it does
 * not). As in Kubernetes, {@code a!=b} and {@code a notin (...)} also hold for objects without
 * label {@code a}. The empty selector matches everything.
 *
 * @param requirements the requirements, in the order they were written
 */
public record LabelSelector(List<Requirement> requirements) {

  /** The selector that matches every object. */
  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  // Label names and values, as Kubernetes validates them: at most 63 characters, alphanumeric
  // at both ends, with '-', '_' and '.' between. Keys may carry a DNS-subdomain prefix.
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern SET_REQUIREMENT =
      Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$");

  public LabelSelector {
    requirements = List.copyOf(requirements);
  }

  /** How one requirement compares a label. */
  public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

  /** One requirement on one label; {@code values} is empty for EXISTS and DOES_NOT_EXIST. */
  public record Requirement(String key, Operator operator, Set<String> values) {

    public Requirement {
      values = Set.copyOf(values);
    }

    public boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case EQUALS, IN -> value != null && values.contains(value);
        case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }

    @Override
    public String toString() {
      String sorted = values.stream().sorted().collect(Collectors.joining(","));
      return switch (operator) {
        case EQUALS -> key + "=" + sorted;
        case NOT_EQUALS -> key + "!=" + sorted;
        case IN -> key + " in (" + sorted + ")";
        case NOT_IN -> key + " notin (" + sorted + ")";
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
      };
    }
  }

  /**
   * Parses a selector.
   *
   * @throws IllegalArgumentException naming the requirement that is not valid and why
   */
  public static LabelSelector parse(String selector) {
    if (selector.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> parsed = new ArrayList<>();
    for (String part : splitTopLevel(selector)) {
      try {
        parsed.add(parseRequirement(part.trim()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid label selector \"" + selector + "\": \"" + part.trim() + "\": " + e.getMessage(), e);
      }
    }
    return new LabelSelector(parsed);
  }

  /** A selector requiring each of these labels to have exactly this value. */
  public static LabelSelector of(Map<String, String> equalities) {
    return new LabelSelector(equalities.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> new Requirement(e.getKey(), Operator.EQUALS, Set.of(e.getValue())))
        .toList());
  }

  /** Whether labels satisfy every requirement. */
  public boolean matches(Map<String, String> labels) {
    return requirements.stream().allMatch(r -> r.matches(labels));
  }


  /** The selector in the syntax {@link #parse} reads. */
  @Override
  public String toString() {
    return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
  }

  // Commas separate requirements, except inside the parentheses of a set.
  private static List<String> splitTopLevel(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(selector.substring(start));
    return parts;
  }

  private static Requirement parseRequirement(String part) {
    if (part.isEmpty()) {
      throw new IllegalArgumentException("empty requirement");
    }
    Matcher set = SET_REQUIREMENT.matcher(part);
    if (set.matches()) {
      Operator op = set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN;
      if (set.group(3).isBlank()) {
        throw new IllegalArgumentException("a set needs at least one value");
      }
      Set<String> values = new LinkedHashSet<>();
      for (String v : set.group(3).split(",", -1)) {
        values.add(value(v.trim()));
      }
      return new Requirement(key(set.group(1)), op, values);
    }
    if (part.startsWith("!") && !part.contains("=")) {
      return new Requirement(key(part.substring(1).trim()), Operator.DOES_NOT_EXIST, Set.of());
    }
    int notEquals = part.indexOf("!=");
    if (notEquals >= 0) {
      return new Requirement(key(part.substring(0, notEquals).trim()), Operator.NOT_EQUALS,
          Set.of(value(part.substring(notEquals + 2).trim())));
    }
    int equals = part.indexOf('=');
    if (equals >= 0) {
      int valueStart = part.startsWith("==", equals) ? equals + 2 : equals + 1;
      return new Requirement(key(part.substring(0, equals).trim()), Operator.EQUALS,
          Set.of(value(part.substring(valueStart).trim())));
    }
    return new Requirement(key(part), Operator.EXISTS, Set.of());
  }

  private static String key(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0 && !PREFIX.matcher(key.substring(0, slash)).matches()) {
      throw new IllegalArgumentException("label key prefix \"" + key.substring(0, slash)
          + "\" is not a DNS subdomain");
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("label key \"" + key + "\" must be 1-63 characters,"
          + " alphanumeric at both ends, with '-', '_' or '.' between");
    }
    return key;
  }

  private static String value(String value) {
    if (!value.isEmpty() && !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException("label value \"" + value + "\" must be empty or 1-63"
          + " characters, alphanumeric at both ends, with '-', '_' or '.' between");
    }
    return value;
  }
}
