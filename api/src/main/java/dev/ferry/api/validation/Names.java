package dev.ferry.api.validation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name rules Ferry shares with Kubernetes: DNS-1123 labels for object and dataset names,
 * and label keys and values. Each check returns what is wrong, or empty when the name is fine.
 */
public final class Names {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  public static final int MAX_LABEL_LENGTH = 63;
  private static final int MAX_SUBDOMAIN_LENGTH = 253;

  private Names() {}

  public static boolean isDnsLabel(String name) {
    return name != null && name.length() <= MAX_LABEL_LENGTH && DNS_LABEL.matcher(name).matches();
  }

  /** What is wrong with {@code name} as a DNS-1123 label (object names, dataset names). */
  public static Optional<String> checkDnsLabel(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (name.length() > MAX_LABEL_LENGTH) {
      return Optional.of("must be at most 63 characters, is " + name.length());
    }
    if (!DNS_LABEL.matcher(name).matches()) {
      return Optional.of("'" + name + "' is not a DNS-1123 label: use lower-case letters, digits"
          + " and '-', starting and ending with a letter or digit");
    }
    return Optional.empty();
  }

  /** What is wrong with a label or annotation key: {@code [prefix/]name}, as Kubernetes allows. */
  public static Optional<String> checkLabelKey(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > MAX_SUBDOMAIN_LENGTH || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return Optional.of("key prefix '" + prefix + "' must be a DNS-1123 subdomain"
            + " (lower-case letters, digits, '-' and '.', at most 253 characters)");
      }
    }
    if (name.isEmpty()) {
      return Optional.of("key name must not be empty");
    }
    return checkQualifiedPart("key name", name);
  }

  /** What is wrong with a label value: empty, or at most 63 alphanumerics, '-', '_' and '.'. */
  public static Optional<String> checkLabelValue(String value) {
    return value.isEmpty() ? Optional.empty() : checkQualifiedPart("value", value);
  }

  private static Optional<String> checkQualifiedPart(String what, String text) {
    if (text.length() > MAX_LABEL_LENGTH) {
      return Optional.of(what + " must be at most 63 characters, is " + text.length());
    }
    if (!QUALIFIED_NAME.matcher(text).matches()) {
      return Optional.of(what + " '" + text + "' must consist of letters, digits, '-', '_' or '.',"
          + " and start and end with a letter or digit");
    }
    return Optional.empty();
  }
}
