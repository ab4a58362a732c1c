package dev.ferry.api.validation;

import dev.ferry.api.placement.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The parts of Marathon's own validation that Ferry repeats before it writes an app, so that a
 * user hears of a mistake from {@code ferryctl apply} rather than from a failed deployment:
 * app ids ({@code PathId}) and constraints ({@code SchedulingValidation}). Messages follow
 * Marathon's where it has one.
 */
public final class MarathonRules {

  private static final Pattern SEGMENT = Pattern.compile(
      "(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])");
  private static final Set<String> RESERVED = Set.of("restart", "tasks", "versions");
  private static final Pattern IS_VALUE = Pattern.compile("[a-zA-Z0-9_/.-]*");
  private static final Pattern INTEGER = Pattern.compile("[0-9]+");

  private MarathonRules() {}

  /**
   * What is wrong with a Marathon app id ({@code /group/app} or {@code app}). Stricter than
   * Marathon, which also takes relative segments ({@code .}, {@code ..}): Ferry refuses them.
   */
  public static List<String> checkAppId(String id) {
    List<String> problems = new ArrayList<>();
    if (id.isEmpty() || id.equals("/")) {
      problems.add("must name an app, not the root group");
      return problems;
    }
    String[] segments = (id.startsWith("/") ? id.substring(1) : id).split("/", -1);
    for (String segment : segments) {
      if (segment.equals(".") || segment.equals("..")) {
        // Marathon resolves these against the group; Ferry compares ids and builds URLs from them
        // as written, so /a/../b would be another app's id in disguise.
        problems.add("'" + segment + "' is not allowed: write the app id out in full, without . or .. segments");
      } else if (!SEGMENT.matcher(segment).matches()) {
        problems.add("'" + segment + "' is not a valid path segment: use lower-case letters, digits,"
            + " dashes and dots, not starting or ending with a dash");
      }
    }
    String last = segments[segments.length - 1];
    if (problems.isEmpty() && RESERVED.contains(last)) {
      problems.add("must not end in the reserved word '" + last + "'");
    }
    return problems;
  }

  /**
   * Checks one constraint {@code [field, OPERATOR, value?]} and reports each problem at the
   * path of the element it concerns.
   */
  public static List<FieldError> checkConstraint(List<String> constraint, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    if (constraint.size() < 2 || constraint.size() > 3) {
      errors.add(FieldError.at(path, "Each constraint must have either 2 or 3 fields, this one has "
          + constraint.size()));
      return errors;
    }
    if (constraint.get(0).isBlank()) {
      errors.add(FieldError.at(path.index(0), "field must name an agent attribute or hostname"));
    }
    Optional<Operator> operator = Operator.named(constraint.get(1));
    if (operator.isEmpty()) {
      errors.add(FieldError.at(path.index(1), "operator must be one of "
          + Arrays.stream(Operator.values()).map(Operator::name).collect(Collectors.joining(", "))));
      return errors;
    }
    String value = constraint.size() == 3 ? constraint.get(2) : null;
    checkValue(operator.get(), value).ifPresent(m -> errors.add(FieldError.at(path.index(constraint.size() - 1), m)));
    return errors;
  }

  private static Optional<String> checkValue(Operator operator, String value) {
    return Optional.ofNullable(switch (operator) {
      case UNIQUE -> value == null ? null : "UNIQUE does not accept a value";
      case GROUP_BY -> value == null || value.isEmpty() || INTEGER.matcher(value).matches()
          ? null : "GROUP_BY must define an integer value or else no value at all";
      case MAX_PER -> value != null && INTEGER.matcher(value).matches() ? null : "MAX_PER requires an integer value";
      case LIKE, UNLIKE -> checkRegex(value);
      case IS -> value == null ? "IS requires a value"
          : IS_VALUE.matcher(value).matches() ? null : "IS only supports Mesos text and float values";
      case CLUSTER -> null;
    });
  }

  private static String checkRegex(String value) {
    if (value == null || value.isEmpty()) {
      return "LIKE and UNLIKE require a non-empty, regular expression value";
    }
    try {
      // The engine the matcher runs (ConstraintMatcher): RE2 syntax, linear time.
      com.google.re2j.Pattern.compile(value);
      return null;
    } catch (com.google.re2j.PatternSyntaxException e) {
      return "'" + value + "' is not a valid regular expression: " + e.getDescription()
          + " (patterns are RE2: no backreferences or lookaround)";
    }
  }
}
