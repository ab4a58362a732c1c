package dev.ferry.e2e.fault;

import dev.ferry.api.process.Command;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A cut network path between two addresses (two nodes of a {@code ./ferry up} cluster, each on
 * its own 127.0.1.N address): every IPv4 packet from one to the other, either way, is dropped,
 * on connections made before the cut as well as new ones, until {@link #close()} heals it. Nothing
 * is refused or reset: as on a real cut, a connection attempt hangs until its timeout and an open
 * connection goes silent. Traffic of either address with anything else (etcd, the controller,
 * the app's clients) passes.
 *
 * <p>The rules live in an nftables table of their own, {@code inet ferry_test_<random>}, with a
 * chain on the output hook (where loopback traffic between the addresses is seen) and one on the
 * input hook (where traffic from another machine or network namespace is). Healing deletes the
 * table, so no other rule on the host is touched; a JVM shutdown hook heals a cut the caller did
 * not, should the run be killed. {@code nft} runs from argument lists, never through a shell, and
 * needs root (CAP_NET_ADMIN).
 */
public final class LinkCut implements AutoCloseable {

  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String table;
  private final String first;
  private final String second;
  private final Thread healOnExit;
  private boolean healed;

  private LinkCut(String table, String first, String second) {
    this.table = table;
    this.first = first;
    this.second = second;
    this.healOnExit = new Thread(this::heal, "heal " + table);
  }

  /**
   * Cuts the path between {@code first} and {@code second}, both ways.
   *
   * @param first an IPv4 address in dotted form, e.g. {@code 127.0.1.1}
   * @param second another one
   * @throws IllegalArgumentException naming the address that is not an IPv4 address, or when both are the same
   * @throws IllegalStateException with nft's message when the rules cannot be made (nothing is left behind)
   */
  public static LinkCut between(String first, String second) {
    for (String address : List.of(first, second)) {
      if (address == null || !IPV4.matcher(address).matches()) {
        throw new IllegalArgumentException("address '" + address + "' is not an IPv4 address in dotted form");
      }
    }
    if (first.equals(second)) {
      throw new IllegalArgumentException("a cut needs two different addresses, both are " + first);
    }
    LinkCut cut = new LinkCut("ferry_test_" + HexFormat.of().formatHex(RANDOM.generateSeed(4)), first, second);
    Runtime.getRuntime().addShutdownHook(cut.healOnExit);
    try {
      cut.nft("add", "table", "inet", cut.table);
      for (String hook : List.of("output", "input")) {
        cut.nft("add", "chain", "inet", cut.table, hook,
            "{", "type", "filter", "hook", hook, "priority", "0", ";", "policy", "accept", ";", "}");
        cut.nft("add", "rule", "inet", cut.table, hook, "ip", "saddr", first, "ip", "daddr", second, "drop");
        cut.nft("add", "rule", "inet", cut.table, hook, "ip", "saddr", second, "ip", "daddr", first, "drop");
      }
    } catch (RuntimeException e) {
      cut.close();
      throw e;
    }
    return cut;
  }

  /** The nftables table that holds the rules, {@code ferry_test_<random>} in family {@code inet}. */
  public String table() {
    return table;
  }

  /** Whether the table is still in the host's ruleset (as {@code nft list tables} shows it). */
  public boolean active() {
    return Command.run("nft", "list", "tables").orThrow().stdout().lines()
        .anyMatch(l -> l.strip().equals("table inet " + table));
  }

  /** Heals the cut: deletes the table. Idempotent; fails with nft's message if the table stays. */
  @Override
  public synchronized void close() {
    if (healed) {
      return;
    }
    heal();
    healed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(healOnExit);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs or ran anyway.
    }
  }

  private void heal() {
    Command deleted = Command.run("nft", "delete", "table", "inet", table);
    if (!deleted.ok() && active()) {
      throw new IllegalStateException("cannot heal the cut between " + first + " and " + second + ": " + deleted.failure());
    }
  }

  private void nft(String... args) {
    List<String> command = new ArrayList<>(List.of("nft"));
    command.addAll(List.of(args));
    Command.run(command).orThrow();
  }

  @Override
  public String toString() {
    return "cut between " + first + " and " + second + " (nft table inet " + table + ")";
  }
}
