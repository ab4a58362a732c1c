package dev.ferry.devcluster.nodes;

/** A node's inclusive range of host ports, Mesos's {@code ports:[31000-32000]}. */
public record PortRange(int first, int last) {

  public PortRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException("bad port range " + first + "-" + last);
    }
  }

  /** Parses {@code 31000-32000}. */
  public static PortRange parse(String text) {
    String[] parts = text.split("-", 2);
    if (parts.length != 2) {
      throw new IllegalArgumentException("port range must look like 31000-32000, got '" + text + "'");
    }
    return new PortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
