package dev.ferry.agent.config;

/** The agent's configuration is wrong; the message names the setting, where it came from, and why. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }
}
