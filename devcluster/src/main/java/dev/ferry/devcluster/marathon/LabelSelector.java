package dev.ferry.devcluster.marathon;

import dev.ferry.devcluster.apps.AppDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code label} filter of {@code GET /v2/apps}: {@code k}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a,b)}, ANDed. */
final class LabelSelector {

  private static final Pattern TERM = Pattern.compile(
      "\\s*([^\\s=!,()]+)\\s*(?:(==|!=)\\s*([^\\s,()]*)|\\s+(in|notin)\\s*\\(([^)]*)\\))?\\s*(?:,|$)");

  private LabelSelector() {}

  static Predicate<AppDefinition> parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return a -> true;
    }
    List<Predicate<AppDefinition>> terms = new ArrayList<>();
    Matcher m = TERM.matcher(selector);
    while (m.find() && !m.group(0).isEmpty()) {
      String key = m.group(1);
      if (m.group(2) != null) {
        String value = m.group(3);
        boolean equal = m.group(2).equals("==");
        terms.add(a -> value.equals(a.label(key).orElse(null)) == equal);
      } else if (m.group(4) != null) {
        Set<String> values = Set.of(m.group(5).split("\\s*,\\s*"));
        boolean in = m.group(4).equals("in");
        terms.add(a -> values.contains(a.label(key).orElse("")) == in);
      } else {
        terms.add(a -> a.label(key).isPresent());
      }
    }
    return a -> terms.stream().allMatch(t -> t.test(a));
  }
}
