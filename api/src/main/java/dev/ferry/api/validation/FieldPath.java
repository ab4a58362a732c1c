package dev.ferry.api.validation;

import java.util.regex.Pattern;

/**
 * The path of a field in a manifest, written as users read it: {@code spec.app.cmd},
 * {@code spec.placement.constraints[0][1]}, {@code metadata.labels['app.kubernetes.io/name']}
 * (names that are not plain identifiers are quoted).
 */
public final class FieldPath {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");
  private static final FieldPath ROOT = new FieldPath("");

  private final String text;

  private FieldPath(String text) {
    this.text = text;
  }

  public static FieldPath root() {
    return ROOT;
  }

  /** A path already written in this form, e.g. as a schema validator reports it. */
  static FieldPath raw(String text) {
    return new FieldPath(text);
  }

  /** Parses a dotted path of plain names, e.g. {@code spec.dataset}. */
  public static FieldPath of(String dotted) {
    FieldPath p = ROOT;
    for (String part : dotted.split("\\.")) {
      p = p.child(part);
    }
    return p;
  }

  public FieldPath child(String name) {
    String part = PLAIN.matcher(name).matches() ? name : "['" + name.replace("'", "\\'") + "']";
    if (text.isEmpty()) {
      return new FieldPath(part);
    }
    return new FieldPath(part.startsWith("[") ? text + part : text + "." + part);
  }

  public FieldPath index(int i) {
    return new FieldPath(text + "[" + i + "]");
  }


  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldPath p && p.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
