package dev.ferry.example.redis;

/** Where the database listens now. */
public record RedisAddress(String host, int port) {

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
