package dev.ferry.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The raw settings of one agent: the YAML file's values, each overridden by its {@code FERRY_*}
 * environment variable when that is set and not empty. Remembers where each value came from, so
 * that an error can say which line of which file or which variable to fix.
 */
public final class Settings {

  private record Value(String text, String source) {}

  private final Map<Setting, Value> values;

  private Settings(Map<Setting, Value> values) {
    this.values = values;
  }

  /**
   * Reads {@code file} (if present) and applies the overrides in {@code env}.
   *
   * @throws ConfigException when the file cannot be read, is not a YAML map of scalars and lists,
   *     or has a key that is not a setting
   */
  public static Settings load(Optional<Path> file, Map<String, String> env) {
    Map<Setting, Value> values = new EnumMap<>(Setting.class);
    file.ifPresent(f -> readFile(f, values));
    for (Setting setting : Setting.values()) {
      String override = env.get(setting.env());
      if (override != null && !override.isBlank()) {
        values.put(setting, new Value(override.strip(), "environment variable " + setting.env()));
      }
    }
    return new Settings(values);
  }

  private static void readFile(Path file, Map<Setting, Value> values) {
    JsonNode root;
    try {
      root = Json.yaml().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read the config file " + file + ": " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return;
    }
    if (!root.isObject()) {
      throw new ConfigException("config file " + file + " must be a YAML map of settings");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      Setting setting = Arrays.stream(Setting.values()).filter(s -> s.key().equals(field.getKey())).findFirst()
          .orElseThrow(() -> new ConfigException("config file " + file + ": unknown setting '" + field.getKey()
              + "'; the settings are " + Arrays.stream(Setting.values()).map(Setting::key)
              .collect(Collectors.joining(", "))));
      values.put(setting, new Value(text(file, field.getKey(), field.getValue()), "setting " + field.getKey()
          + " in " + file));
    }
  }

  /** Scalars as their text; a list (etcd endpoints) as its items joined by commas. */
  private static String text(Path file, String key, JsonNode node) {
    if (node.isValueNode()) {
      return node.asText().strip();
    }
    if (node.isArray()) {
      StringBuilder joined = new StringBuilder();
      for (JsonNode item : node) {
        if (!item.isValueNode()) {
          throw new ConfigException("config file " + file + ": " + key + " must be a list of plain values");
        }
        joined.append(joined.isEmpty() ? "" : ",").append(item.asText().strip());
      }
      return joined.toString();
    }
    throw new ConfigException("config file " + file + ": " + key + " must be a plain value or a list");
  }

  /** The value of a setting, if it was given and is not empty. */
  public Optional<String> get(Setting setting) {
    return Optional.ofNullable(values.get(setting)).map(Value::text).filter(t -> !t.isEmpty());
  }

  /** Where a setting's value came from, for error messages. */
  public String source(Setting setting) {
    Value value = values.get(setting);
    return value == null ? "setting " + setting.key() + " (or " + setting.env() + ")" : value.source();
  }

  /** The value of a required setting. */
  public String require(Setting setting) {
    return get(setting).orElseThrow(() -> new ConfigException("missing setting " + setting.key()
        + ": set it in the config file or in " + setting.env()));
  }

  /** A {@link ConfigException} naming the setting, its source and its value. */
  public ConfigException invalid(Setting setting, String why) {
    return new ConfigException(source(setting) + " = '" + get(setting).orElse("") + "': " + why);
  }
}
