package dev.ferry.agent.zfs;

import dev.ferry.api.validation.Names;

/**
 * A dataset's or snapshot's short name that is safe to hand to {@code zfs}: a DNS-1123 label
 * ({@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}, at most 63 characters).
 *
 * <p>Every name reaches the ZFS commands through this type, so a name with a slash, an
 * {@code @}, a leading dash (an option to {@code zfs}) or a space is refused before any command
 * runs.
 */
public record DatasetName(String value) {

  /** @throws IllegalArgumentException saying why, when {@code value} is not a DNS-1123 label */
  public DatasetName {
    requireLabel("dataset name", value);
  }

  public static DatasetName of(String value) {
    return new DatasetName(value);
  }

  /**
   * Checks a name that becomes part of a ZFS name (a dataset, snapshot or hold tag).
   *
   * @return {@code value}
   * @throws IllegalArgumentException when it is not a DNS-1123 label
   */
  public static String requireLabel(String what, String value) {
    if (!Names.isDnsLabel(value)) {
      throw new IllegalArgumentException(what + " '" + value + "' is not a DNS-1123 label: lower-case letters,"
          + " digits and '-', starting and ending with a letter or digit, at most 63 characters");
    }
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
