package dev.ferry.e2e.cluster;

import dev.ferry.example.redis.FollowingRedis;
import dev.ferry.example.redis.MarathonTasks;
import dev.ferry.example.redis.RespReply;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import dev.ferry.api.marathon.MarathonCredentials;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that writes to Redis without pause while the benchmark moves it, as an application
 * would: one {@code SET} at a time at a steady rate, through the example app's
 * {@link FollowingRedis}, which finds the database again through Marathon's
 * {@code /v2/apps/ID/tasks} when the connection fails. It records each write Redis acknowledged
 * (with {@code appendfsync always}: once it is on disk) with the time of the acknowledgement, so
 * that the benchmark can measure the longest gap the client saw and read every acknowledged key
 * back. Writes run on one Vert.x context; the recording is read from the benchmark's thread.
 */
public final class WriteLoad implements AutoCloseable {

  /** One write Redis acknowledged, during benchmark run {@code run}, at {@code nanos} (System.nanoTime). */
  public record Ack(String key, String value, long nanos, int run) {}

  /** Tries again this often while the database is away: small beside the downtime measured. */
  private static final Duration RETRY_PAUSE = Duration.ofMillis(10);
  private static final Duration GIVE_UP = Duration.ofMinutes(10);
  private static final int READ_BATCH = 500;

  private final Context context;
  private final NetClient net;
  private final HttpClient http;
  private final FollowingRedis redis;
  private final long intervalNanos;
  private final String prefix = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
  private final List<Ack> acks = new ArrayList<>();
  private final AtomicLong failed = new AtomicLong();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile int run;
  private volatile boolean stopping;
  private long sequence;

  public WriteLoad(Vertx vertx, URI marathon, MarathonCredentials credentials, String appId, int writesPerSecond) {
    this.context = vertx.getOrCreateContext();
    this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1_000));
    this.http = vertx.createHttpClient();
    this.redis = new FollowingRedis(vertx, net, new MarathonTasks(http, marathon, Optional.of(credentials), appId), GIVE_UP, RETRY_PAUSE);
    this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / writesPerSecond;
  }

  /** Starts writing; returns at once. */
  public WriteLoad start() {
    context.runOnContext(v -> next(System.nanoTime()));
    return this;
  }

  /** The run that writes from now on are counted for. */
  public void countFor(int benchmarkRun) {
    run = benchmarkRun;
  }

  private void next(long due) {
    if (stopping) {
      stopped.complete(null);
      return;
    }
    String key = "bench:" + prefix + ":" + sequence;
    String value = prefix + "-" + sequence + "-" + Long.toHexString(due);
    sequence++;
    int counted = run;
    redis.send("SET", key, value).onComplete(ar -> {
      long now = System.nanoTime();
      if (ar.succeeded() && ar.result() instanceof RespReply.Simple s && s.text().equals("OK")) {
        synchronized (acks) {
          acks.add(new Ack(key, value, now, counted));
        }
      } else {
        failed.incrementAndGet();
      }
      // Steady pace, but no burst to catch up after the database was away.
      long nextDue = Math.max(now, due + intervalNanos);
      long waitMs = TimeUnit.NANOSECONDS.toMillis(nextDue - now);
      if (waitMs >= 1) {
        context.owner().setTimer(waitMs, t -> next(nextDue));
      } else {
        context.runOnContext(x -> next(nextDue));
      }
    });
  }

  /** The acknowledged writes so far, oldest first. */
  public List<Ack> acks() {
    synchronized (acks) {
      return List.copyOf(acks);
    }
  }

  /** Writes that failed for good (not acknowledged within ten minutes, or refused). */
  public long failures() {
    return failed.get();
  }

  /** Stops after the write under way; returns once it is answered. */
  public void stop() throws Exception {
    stopping = true;
    stopped.get(GIVE_UP.toSeconds() + 30, TimeUnit.SECONDS);
  }

  /**
   * Reads the keys back (MGET, in batches) and returns the value of each, empty when Redis does
   * not have it, in the order given.
   */
  public List<Optional<String>> read(List<String> keys) throws Exception {
    List<Optional<String>> values = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i += READ_BATCH) {
      List<String> command = new ArrayList<>(List.of("MGET"));
      command.addAll(keys.subList(i, Math.min(keys.size(), i + READ_BATCH)));
      CompletableFuture<RespReply> reply = new CompletableFuture<>();
      context.runOnContext(v -> redis.send(command.toArray(String[]::new))
          .onComplete(ar -> {
            if (ar.succeeded()) {
              reply.complete(ar.result());
            } else {
              reply.completeExceptionally(ar.cause());
            }
          }));
      if (!(reply.get(GIVE_UP.toSeconds(), TimeUnit.SECONDS) instanceof RespReply.Array array)) {
        throw new IllegalStateException("MGET answered " + reply.get() + ", not an array");
      }
      for (RespReply item : array.items()) {
        values.add(item instanceof RespReply.Bulk b ? b.value() : Optional.empty());
      }
    }
    return values;
  }

  @Override
  public void close() {
    net.close();
    http.close();
  }
}
