package dev.ferry.agent.zfs;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an OpenZFS {@code receive_resume_token} says about the stream it resumes, as {@code zfs
 * send -n -v -t <token>} prints it ({@code resume token contents:} then an nvlist, one {@code
 * name = value} a line, numbers in hex):
 *
 * <pre>
 * resume token contents:
 * nvlist version: 0
 *         fromguid = 0x595d9f81aa9dddab
 *         object = 0x1
 *         offset = 0x0
 *         bytes = 0x0
 *         toguid = 0x854f02a2dd32cf0d
 *         toname = pool/ferry/db@r0
 * </pre>
 *
 * @param toName the snapshot the interrupted stream was of, as the sender named it ({@code
 *     pool/ferry/db@r0})
 * @param toGuid its guid, in decimal as {@code zfs get -p guid} prints it
 * @param fromGuid the incremental stream's base guid in decimal, empty for a full stream
 * @param bytes how many bytes of the stream the target had received
 */
public record ResumeToken(String toName, String toGuid, String fromGuid, long bytes) {

  /**
   * What an OpenZFS token looks like: version, checksum, payload length and the compressed
   * payload, all hex, dash-separated ({@code 1-e604ea4bf-e0-789c63a2...}). Anything else is
   * refused before it reaches a command line.
   */
  private static final Pattern TOKEN = Pattern.compile("[0-9]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+");
  /** Tokens are a few hundred characters; a bound keeps a hostile one from costing anything. */
  static final int MAX_TOKEN = 4096;
  private static final Pattern FIELD = Pattern.compile("^\\s+(\\S+) = (.*)$", Pattern.MULTILINE);

  /**
   * Checks that {@code token} has the form of an OpenZFS resume token.
   *
   * @return the token
   * @throws IllegalArgumentException naming what is wrong
   */
  public static String requireToken(String token) {
    if (token.length() > MAX_TOKEN || !TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException("a receive_resume_token is hex fields joined by dashes"
          + " (1-e604ea4bf-e0-789c...), at most " + MAX_TOKEN + " characters; got "
          + (token.length() > 40 ? token.substring(0, 40) + "..." : "'" + token + "'"));
    }
    return token;
  }

  /**
   * Reads the contents {@code zfs send -n -v -t} printed; empty when the output has no {@code
   * toname} or {@code toguid} (a corrupt token, or another zfs's format).
   */
  public static Optional<ResumeToken> parse(String output) {
    int start = output.indexOf("resume token contents:");
    if (start < 0) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    Matcher m = FIELD.matcher(output.substring(start));
    while (m.find()) {
      fields.putIfAbsent(m.group(1), m.group(2).strip());
    }
    try {
      Optional<String> toGuid = Optional.ofNullable(fields.get("toguid")).map(ResumeToken::decimal);
      Optional<String> toName = Optional.ofNullable(fields.get("toname")).filter(n -> n.contains("@"));
      if (toGuid.isEmpty() || toName.isEmpty()) {
        return Optional.empty();
      }
      String fromGuid = Optional.ofNullable(fields.get("fromguid")).map(ResumeToken::decimal).orElse("");
      long bytes = Optional.ofNullable(fields.get("bytes")).map(ResumeToken::decimal).map(Long::parseUnsignedLong)
          .orElse(0L);
      return Optional.of(new ResumeToken(toName.get(), toGuid.get(), fromGuid.equals("0") ? "" : fromGuid, bytes));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** nvlist_print writes 64-bit numbers as {@code 0x...}; guids are compared in decimal. */
  private static String decimal(String value) {
    return value.startsWith("0x") ? Long.toUnsignedString(Long.parseUnsignedLong(value.substring(2), 16))
        : Long.toUnsignedString(Long.parseUnsignedLong(value));
  }
}
