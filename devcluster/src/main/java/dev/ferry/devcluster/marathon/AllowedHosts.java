package dev.ferry.devcluster.marathon;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host names a request may carry in its {@code Host} header: the bind address, loopback
 * ({@code localhost}, {@code 127.0.0.1}, {@code ::1}), every local address when bound to all
 * interfaces, and the configured server names. A web page can make a browser send requests to
 * 127.0.0.1 under its own name (DNS rebinding); that name is none of these, so such requests are
 * refused before anything else.
 */
record AllowedHosts(Set<String> names) {

  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");

  AllowedHosts {
    names = Set.copyOf(names);
  }

  /**
   * @param bindHost the address the server listens on
   * @param localAddresses this machine's addresses, used when {@code bindHost} is a wildcard
   * @param serverNames further names the operator configured
   */
  static AllowedHosts of(String bindHost, Collection<String> localAddresses, Collection<String> serverNames) {
    Set<String> names = new TreeSet<>(LOOPBACK);
    names.add(normal(bindHost));
    if (normal(bindHost).equals("0.0.0.0") || normal(bindHost).equals("::")) {
      localAddresses.forEach(a -> names.add(normal(a)));
    }
    serverNames.forEach(n -> names.add(normal(n)));
    return new AllowedHosts(names);
  }

  /** Whether {@code host} (the host part of the {@code Host} header, port removed) is one of the names. */
  boolean allows(String host) {
    return host != null && !host.isEmpty() && names.contains(normal(host));
  }

  /** Lower case, without IPv6 brackets, a trailing dot or an interface scope ({@code %lo}). */
  private static String normal(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    int scope = h.indexOf('%');
    if (scope > 0) {
      h = h.substring(0, scope);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  @Override
  public String toString() {
    return String.join(", ", new TreeSet<>(names));
  }
}
