package dev.ferry.controller.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the tokens file: one token per line as {@code token,user,role} (role admin, edit,
 * view or metrics), like Kubernetes' static token file; blank lines and lines starting with {@code #} are
 * ignored. For example:
 *
 * <pre>
 * # token,user,role
 * 3f9c0b8e5d2a4c71b6e8f0a9d1c2b3e4,alice,admin
 * 8e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b,ci,edit
 * </pre>
 *
 * <p>Tokens must be at least {@value #MIN_TOKEN_LENGTH} characters of letters, digits,
 * {@code -}, {@code _}, {@code .} or {@code ~}, and unique. Any bad line refuses the whole file
 * (naming the line), so that a typo never silently locks a user out or lets one in.
 */
public final class TokenFile {

  public static final int MIN_TOKEN_LENGTH = 16;
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]+");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9@._:-]+");

  private TokenFile() {}

  /** Parses the text of a tokens file; {@code source} names it in errors. */
  public static Tokens parse(String source, String text) {
    Map<String, Principal> tokens = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String at = source + ":" + (i + 1) + ": ";
      String[] fields = line.split(",", -1);
      if (fields.length != 3) {
        problems.add(at + "expected token,user,role, found " + fields.length + " fields");
        continue;
      }
      String token = fields[0].strip();
      String user = fields[1].strip();
      String role = fields[2].strip();
      if (token.length() < MIN_TOKEN_LENGTH || !TOKEN.matcher(token).matches()) {
        problems.add(at + "a token must be at least " + MIN_TOKEN_LENGTH
            + " characters of letters, digits, '-', '_', '.' or '~'");
      } else if (tokens.containsKey(token)) {
        problems.add(at + "this token is already given to " + tokens.get(token).user());
      }
      if (!USER.matcher(user).matches()) {
        problems.add(at + "user '" + user + "' must be letters, digits, '@', '.', '_', ':' or '-'");
      }
      Role.parse(role).ifPresentOrElse(r -> tokens.put(token, new Principal(user, r)),
          () -> problems.add(at + "role '" + role + "' must be admin, edit, view or metrics"));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("tokens file " + source + " is invalid:\n  " + String.join("\n  ", problems));
    }
    return Tokens.of(tokens);
  }
}
