package dev.ferry.api.events;

import dev.ferry.api.model.Event;
import dev.ferry.api.model.EventSpec;
import dev.ferry.api.model.EventType;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.ObjectMeta;
import dev.ferry.api.model.ObjectReference;
import dev.ferry.api.store.AlreadyExistsException;
import dev.ferry.api.store.EtcdStore;
import dev.ferry.api.store.Failures;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Events for people to read ({@code ferryctl describe}, {@code ferryctl events}). The
 * same reason and message about the same object make one Event whose {@code count} goes up, as
 * in Kubernetes. Each Event lives on an etcd lease of {@link #TTL} from when it was first
 * recorded (a repeat counts up, it does not extend the lease), so the store does not fill up. Recording is best effort: a failure is logged, never thrown, since
 * no reconcile should fail because its diary could not be written.
 */
public final class EventRecorder {

  public static final Duration TTL = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int NAME_ROOM = 63 - 1 - 12;

  private final EtcdStore store;
  private final String source;
  private final Clock clock;

  /**
   * @param source the component recording, e.g. {@code controller} or {@code node-agent/node1}
   */
  public EventRecorder(EtcdStore store, String source, Clock clock) {
    this.store = store;
    this.source = source;
    this.clock = clock;
  }

  public CompletableFuture<Void> normal(ObjectReference about, String reason, String message) {
    return record(about, EventType.Normal, reason, message);
  }

  public CompletableFuture<Void> warning(ObjectReference about, String reason, String message) {
    return record(about, EventType.Warning, reason, message);
  }

  /** Records the event, or counts one more of it; completes (never exceptionally) when written. */
  public CompletableFuture<Void> record(ObjectReference about, EventType type, String reason, String message) {
    String name = eventName(about, reason, message);
    LOG.info("{} {}/{}: {} {}", type, about.kind(), about.name(), reason, message);
    return store.get(Kind.EVENT, name)
        .thenCompose(found -> found.isPresent() ? repeat(found.get()) : create(name, about, type, reason, message))
        .exceptionally(e -> {
          LOG.warn("could not record event {} about {}/{}: {}", reason, about.kind(), about.name(), rootMessage(e));
          return null;
        });
  }

  private CompletableFuture<Void> create(String name, ObjectReference about, EventType type, String reason, String message) {
    var now = clock.instant();
    Event event = new Event(new ObjectMeta(name, Map.of("ferry.dev/kind", about.kind().toLowerCase(Locale.ROOT),
        "ferry.dev/name", about.name()), Map.of(), "", 0, 0, null, null, null),
        new EventSpec(about, type, reason, message, 1, now, now, source));
    return store.grantLease(TTL).thenCompose(lease -> store.create(event, lease)
        .<Void>thenApply(created -> null)
        .exceptionallyCompose(e -> Failures.cause(e) instanceof AlreadyExistsException
            // Another recorder made it first: our lease holds nothing, and would linger an hour.
            ? store.revokeLease(lease).thenCompose(v -> store.get(Kind.EVENT, name))
                .thenCompose(f -> f.map(this::repeat).orElse(CompletableFuture.completedFuture(null)))
            : CompletableFuture.failedFuture(e)));
  }

  private CompletableFuture<Void> repeat(Event event) {
    EventSpec s = event.spec();
    EventSpec counted = new EventSpec(s.involvedObject(), s.type(), s.reason(), s.message(), s.count() + 1,
        s.firstTimestamp(), clock.instant(), s.source());
    return store.update(event.withSpec(counted)).thenApply(updated -> null);
  }

  /** {@code <kind>-<name>-<hash>}: one Event per object, reason and message; a valid DNS-1123 label. */
  static String eventName(ObjectReference about, String reason, String message) {
    String prefix = (about.kind() + "-" + about.name()).toLowerCase(Locale.ROOT);
    if (prefix.length() > NAME_ROOM) {
      prefix = prefix.substring(0, NAME_ROOM).replaceAll("-+$", "");
    }
    return prefix + "-" + hash(about.uid() + "\n" + reason + "\n" + message);
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = Failures.cause(e);
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
